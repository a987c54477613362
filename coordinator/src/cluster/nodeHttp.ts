import { request as httpRequest, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Logger } from '@huddle/shared/util';

/** Marks a request one node already forwarded: the receiver answers it or refuses, never forwards again. */
export const FORWARDED_HEADER = 'x-huddle-forwarded-by';

export interface NodeHttpOptions {
  node: string;
  /** This node's own answer to GET /health (role, term, leader, PostgreSQL). */
  health: (res: ServerResponse) => void;
  /** The REST API, console and web app while this node leads rounds, else null. */
  leaderApp: () => RequestListener | null;
  /** Where the current leader serves HTTP, or null while there is none. */
  leaderUrl: () => Promise<string | null>;
  logger: Logger;
}

const refuse = (res: ServerResponse, status: number, error: string) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '2' });
  res.end(JSON.stringify({ error }));
};

/**
 * Every node answers HTTP at the cluster's one address: its own /health, and everything else from
 * the leader, which holds the engine the REST routes read. A follower relays the request unchanged
 * (credentials included) and streams the answer back, so the console and its event stream work through any node.
 */
export function nodeRequestHandler(o: NodeHttpOptions): RequestListener {
  return (req, res) => {
    if (req.url === '/health') return o.health(res);
    const app = o.leaderApp();
    if (app) return app(req, res);
    if (req.headers[FORWARDED_HEADER]) return refuse(res, 503, `node ${o.node} is not the leader either (leadership is changing); retry`);
    o.leaderUrl().then(
      (url) => (url ? relay(req, res, url, o) : refuse(res, 503, 'no node leads rounds yet; retry in a few seconds')),
      () => refuse(res, 503, 'cannot find the leader (Redis unreachable); retry'),
    );
  };
}

function relay(req: IncomingMessage, res: ServerResponse, leaderUrl: string, o: NodeHttpOptions): void {
  const target = new URL(req.url ?? '/', leaderUrl);
  const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  const upstream = httpRequest(
    target,
    { method: req.method, headers: { ...req.headers, [FORWARDED_HEADER]: o.node, 'x-forwarded-for': forwardedFor } },
    (answer: IncomingMessage) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (err) => {
    o.logger.warn({ node: o.node, err: err.message }, 'could not relay a request to the leader');
    refuse(res, 502, 'the leader did not answer; retry');
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}
