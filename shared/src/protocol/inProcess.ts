import type { ClientTransport, ClientTransportHandler, Connection, ServerTransport, ServerTransportHandler } from './transport.ts';

/**
 * An in-memory network: one server transport and any number of client transports, delivering
 * in order and asynchronously (like a socket) so round logic behaves as it does over socket.io.
 * Each message is copied, so a sender may reuse its buffer once the current task's microtasks ran; the same
 * buffer sent to many connections before that (a broadcast) is copied once, and its receivers share the copy,
 * so receivers must only read what they get.
 */
export class InProcessNetwork {
  private handler: ServerTransportHandler | null = null;
  private nextId = 0;
  readonly server: ServerTransport;
  private lastSent: Uint8Array | null = null;
  private lastCopy: Uint8Array | null = null;

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
        const copy = network.copyOf(bytes);
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

  /** One copy per buffer sent to several connections within the same synchronous loop (until the next microtask). */
  private copyOf(bytes: Uint8Array): Uint8Array {
    if (bytes === this.lastSent && this.lastCopy) return this.lastCopy;
    const copy = bytes.slice();
    if (this.lastSent === null) queueMicrotask(() => (this.lastSent = this.lastCopy = null));
    this.lastSent = bytes;
    this.lastCopy = copy;
    return copy;
  }
}
