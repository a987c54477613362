import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { DEFAULT_MAX_MESSAGE_BYTES, PROTOCOL_EVENT, type Connection, type ServerTransport, type ServerTransportHandler } from '@huddle/shared/protocol';

export interface SocketIoServerOptions {
  maxMessageBytes?: number;
  path?: string;
}

/** Protocol messages ride one socket.io event as binary frames; any other event is reported as foreign. */
export class SocketIoServerTransport implements ServerTransport {
  readonly io: Server;

  constructor(http: HttpServer, options: SocketIoServerOptions = {}) {
    this.io = new Server(http, {
      path: options.path ?? '/socket.io',
      maxHttpBufferSize: (options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES) + 1024,
      serveClient: false,
      cors: { origin: true },
    });
  }

  async listen(handler: ServerTransportHandler): Promise<void> {
    this.io.on('connection', (socket: Socket) => {
      const conn: Connection = {
        id: socket.id,
        send: (bytes) => void socket.emit(PROTOCOL_EVENT, bytes),
        close: () => void socket.disconnect(true),
      };
      handler.onConnection(conn);
      socket.onAny((event: string, ...args: unknown[]) => {
        if (event === PROTOCOL_EVENT && args.length === 1) handler.onMessage(conn, args[0]);
        else if (event === PROTOCOL_EVENT) handler.onMessage(conn, undefined);
        else handler.onForeign(conn, String(event));
      });
      socket.on('disconnect', (reason) => handler.onDisconnect(conn, reason));
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
