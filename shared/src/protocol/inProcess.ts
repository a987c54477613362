import type { ClientTransport, ClientTransportHandler, Connection, ServerTransport, ServerTransportHandler } from './transport.ts';

/**
 * An in-memory network: one server transport and any number of client transports, delivering
 * in order and asynchronously (like a socket) so round logic behaves as it does over socket.io.
 */
export class InProcessNetwork {
  private handler: ServerTransportHandler | null = null;
  private nextId = 0;
  readonly server: ServerTransport;

  constructor() {
    this.server = {
      listen: async (handler) => {
        this.handler = handler;
      },
      close: async () => {
        this.handler = null;
      },
    };
  }

  connect(): ClientTransport {
    const network = this;
    const id = `inproc-${++this.nextId}`;
    let client: ClientTransportHandler | null = null;
    let open = false;
    const conn: Connection = {
      id,
      send(bytes) {
        if (!open) return;
        const copy = bytes.slice();
        queueMicrotask(() => open && client?.onMessage(copy));
      },
      close(reason) {
        if (!open) return;
        open = false;
        queueMicrotask(() => {
          network.handler?.onDisconnect(conn, reason);
          client?.onClose(reason);
        });
      },
    };
    return {
      open(handler) {
        client = handler;
        queueMicrotask(() => {
          if (!network.handler) {
            handler.onClose('no server listening');
            return;
          }
          open = true;
          network.handler.onConnection(conn);
          handler.onOpen();
        });
      },
      send(bytes) {
        if (!open) return;
        const copy = bytes.slice();
        queueMicrotask(() => open && network.handler?.onMessage(conn, copy));
      },
      close() {
        conn.close('client closed');
      },
    };
  }
}
