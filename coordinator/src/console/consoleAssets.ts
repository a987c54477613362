import { readFileSync } from 'node:fs';
import type { Express, Response } from 'express';
import { chartJsUmd } from './chartJsUmd.ts';

const ASSETS = new URL('./assets/', import.meta.url);

/** The console's own policy, apart from the athlete app's: its scripts and styles from here, no eval, no wasm. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES: Record<string, string> = {
  'index.html': 'html',
  'console.css': 'text/css',
  'main.js': 'text/javascript',
  'api.js': 'text/javascript',
  'dom.js': 'text/javascript',
  'charts.js': 'text/javascript',
  'status.js': 'text/javascript',
  'history.js': 'text/javascript',
  'access.js': 'text/javascript',
  'coaches.js': 'text/javascript',
  'settings.js': 'text/javascript',
  'modelSummary.js': 'text/javascript',
};

function send(res: Response, type: string, body: string): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  res.type(type).send(body);
}

/** Serves the operator console under /console/ (no CDN); /dashboard, its old address, redirects there. */
export function mountConsoleAssets(app: Express): void {
  const files = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, ASSETS), 'utf8') }]));
  const chart = chartJsUmd();
  // Regexes, not strings: Express ignores a trailing slash in string paths, and /console/ must not redirect to itself.
  app.get(/^\/(dashboard\/?|console)$/, (_req, res) => res.redirect(301, '/console/'));
  app.get('/console/', (_req, res) => send(res, 'html', files.get('index.html')!.body));
  app.get('/console/vendor/chart.umd.min.js', (_req, res) => send(res, 'text/javascript', chart));
  app.get('/console/:file', (req, res, next) => {
    const file = files.get(String(req.params.file));
    if (!file) return next();
    send(res, file.type, file.body);
  });
}
