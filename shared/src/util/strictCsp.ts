import { z } from 'zod';

/**
 * For pages under a Content-Security-Policy without 'unsafe-eval' (the athlete app, the coach board): zod otherwise
 * probes `new Function` when it builds an object schema, and each probe is a reported CSP violation. Call before any
 * schema is built (the pages import `web-client/src/strictCsp.ts` first).
 */
export function useJitlessZod(): void {
  z.config({ jitless: true });
}
