import { join } from 'node:path';
import express, { type Express, type Response } from 'express';

/**
 * The policy the athlete web app runs under: scripts, workers and connections to this origin only;
 * WebAssembly compilation allowed for the tfjs wasm backend. The browser test runs the whole app under it.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_APP_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * Serves the built web app at `/`: hashed assets cached for good, index.html and sw.js never cached,
 * the app shell for app paths (join links), 404 for missing assets.
 */
export function serveWebApp(dist: string): (app: Express) => void {
  const assets = join(dist, 'assets');
  return (app) => {
    app.use(
      express.static(dist, {
        index: 'index.html',
        setHeaders: (res, path) => {
          securityHeaders(res);
          res.setHeader('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
    app.get(/^\/(?!api\/|api$|socket\.io|health|dashboard|console|assets\/).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      securityHeaders(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(dist, 'index.html'));
    });
  };
}
