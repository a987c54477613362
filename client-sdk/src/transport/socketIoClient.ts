import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_EVENT, type ClientTransport, type ClientTransportHandler } from '@huddle/shared/protocol';

export interface SocketIoClientOptions {
  /** socket.io path on the coordinator. */
  path?: string;
  reconnection?: boolean;
}

/** socket.io-client transport; reconnects with exponential backoff unless told not to. */
export class SocketIoClientTransport implements ClientTransport {
  private socket: Socket | null = null;

  constructor(private readonly url: string, private readonly options: SocketIoClientOptions = {}) {}

  open(handler: ClientTransportHandler): void {
    const socket = io(this.url, {
      path: this.options.path ?? '/socket.io',
      transports: ['websocket'],
      reconnection: this.options.reconnection ?? true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      randomizationFactor: 0.5,
    });
    this.socket = socket;
    socket.on('connect', () => handler.onOpen());
    socket.on(PROTOCOL_EVENT, (bytes: unknown) => handler.onMessage(bytes));
    socket.on('disconnect', (reason) => handler.onClose(reason));
    socket.on('connect_error', (err) => handler.onClose(`connect error: ${err.message}`));
  }

  /** Messages are bound to one connection's challenge, so nothing is buffered for a later one. */
  send(bytes: Uint8Array): void {
    if (this.socket?.connected) this.socket.emit(PROTOCOL_EVENT, bytes);
  }

  close(): void {
    this.socket?.disconnect();
    this.socket = null;
  }
}
