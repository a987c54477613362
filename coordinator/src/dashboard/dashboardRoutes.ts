import { readFileSync } from 'node:fs';
import type { Express, Response } from 'express';

const ASSETS = new URL('./assets/', import.meta.url);

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(name: string): string {
  return readFileSync(new URL(name, ASSETS), 'utf8');
}

function send(res: Response, type: string, body: string): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  res.type(type).send(body);
}

/** The operator dashboard: one page and its script and styles, all served from here (no CDN). */
export function mountDashboard(app: Express): void {
  const page = asset('index.html');
  const script = asset('dashboard.js');
  const styles = asset('dashboard.css');
  app.get(['/dashboard', '/dashboard/'], (_req, res) => send(res, 'html', page));
  app.get('/dashboard/dashboard.js', (_req, res) => send(res, 'text/javascript', script));
  app.get('/dashboard/dashboard.css', (_req, res) => send(res, 'text/css', styles));
}
