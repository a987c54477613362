import type { Request, RequestHandler } from 'express';
import { KeyedRateLimiter, type BucketRate } from './tokenBucket.ts';

export interface HttpRateLimitOptions extends BucketRate {
  /** Who is being limited; the client address by default. */
  key?: (req: Request) => string;
  maxKeys?: number;
  now?: () => number;
}

/** Token-bucket rate limiting for express routes: 429 with Retry-After once a key's bucket is empty. */
export function rateLimit(options: HttpRateLimitOptions): RequestHandler {
  const limiter = new KeyedRateLimiter({ burst: options.burst, perSecond: options.perSecond }, options.maxKeys);
  const key = options.key ?? ((req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown');
  const now = options.now ?? Date.now;
  return (req, res, next) => {
    const k = key(req);
    const t = now();
    if (limiter.take(k, t)) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(Math.max(1, Math.ceil(limiter.waitMs(k, t) / 1000))));
    res.status(429).json({ error: 'too many requests; slow down and retry later' });
  };
}
