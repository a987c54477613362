import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';
import type { RequestHandler } from 'express';

/** Server-Sent Events must reach the browser frame by frame; a compressor would hold them back in its buffer. */
function compressible(req: IncomingMessage, res: ServerResponse): boolean {
  const type = String(res.getHeader('Content-Type') ?? '');
  if (type.startsWith('text/event-stream')) return false;
  return compression.filter(req as Parameters<typeof compression.filter>[0], res as Parameters<typeof compression.filter>[1]);
}

/**
 * Brotli or gzip (whichever the browser prefers) on every compressible response: scripts, styles, HTML, JSON and the
 * tfjs WebAssembly binaries (`application/wasm` is compressible). Bodies under 1 kB go as they are.
 */
export function compressResponses(): RequestHandler {
  return compression({ filter: compressible, threshold: 1024 });
}
