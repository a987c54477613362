import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { copyWsMasks } from './leanSockets.ts';
import { noteInboundFrame } from './deadFrames.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, PROTOCOL_EVENT, protocolFrames, type Connection, type ServerTransport, type ServerTransportHandler } from '@huddle/shared/protocol';

export const DEFAULT_HELLO_TIMEOUT_MS = 10_000;

export interface SocketIoServerOptions {
  maxMessageBytes?: number;
  path?: string;
  /**
   * Browser origins (scheme://host[:port]) allowed besides the coordinator's own, e.g. its public
   * URL behind a proxy. A request with another Origin header is refused at the handshake, for
   * WebSocket and polling alike; requests without one (Node clients) pass.
   */
  allowedOrigins?: string[];
  /** Closes a connection that has not joined (said a verified hello) within `ms`. */
  helloTimeout?: { ms: number; joined: (connectionId: string) => boolean };
}

/** The origin part of a URL, or null when it is not an absolute http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** Same origin as the request (its Host header under either scheme), or one of `allowed`. */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.has(origin)) return true;
  const host = req.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

const frameBytes = (v: unknown): number => (v instanceof Uint8Array || v instanceof ArrayBuffer ? v.byteLength : 0);

/** Protocol messages ride one socket.io event as binary frames; any other event is reported as foreign. */
export class SocketIoServerTransport implements ServerTransport {
  readonly io: Server;
  private readonly helloTimeout: SocketIoServerOptions['helloTimeout'];

  constructor(http: HttpServer, options: SocketIoServerOptions = {}) {
    const allowed = new Set((options.allowedOrigins ?? []).map(originOf).filter((o): o is string => o !== null));
    this.helloTimeout = options.helloTimeout;
    this.io = new Server(http, {
      path: options.path ?? '/socket.io',
      maxHttpBufferSize: (options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) + 1024,
      serveClient: false,
      parser: protocolFrames,
      // CORS headers only for the listed origins; same-origin pages need none.
      cors: { origin: [...allowed] },
      allowRequest: (req, callback) => callback(originAllowed(req, allowed) ? null : 'origin not allowed', originAllowed(req, allowed)),
    });
    copyWsMasks();
  }

  async listen(handler: ServerTransportHandler): Promise<void> {
    this.io.on('connection', (socket: Socket) => {
      const conn: Connection = {
        id: socket.id,
        send: (bytes) => void socket.emit(PROTOCOL_EVENT, bytes),
        close: () => void socket.disconnect(true),
      };
      handler.onConnection(conn);
      const helloTimeout = this.helloTimeout;
      const timer = helloTimeout
        ? setTimeout(() => {
            if (!helloTimeout.joined(conn.id)) socket.disconnect(true);
          }, helloTimeout.ms)
        : null;
      socket.onAny((event: string, ...args: unknown[]) => {
        if (event === PROTOCOL_EVENT && args.length === 1) {
          noteInboundFrame(frameBytes(args[0]));
          handler.onMessage(conn, args[0]);
        }
        else if (event === PROTOCOL_EVENT) handler.onMessage(conn, undefined);
        else handler.onForeign(conn, String(event));
      });
      socket.on('disconnect', (reason) => {
        if (timer) clearTimeout(timer);
        handler.onDisconnect(conn, reason);
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
