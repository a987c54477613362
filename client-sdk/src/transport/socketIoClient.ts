import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_EVENT, protocolFrames, type ClientTransport, type ClientTransportHandler } from '@huddle/shared/protocol';

export interface SocketIoClientOptions {
  /** socket.io path on the coordinator. */
  path?: string;
  reconnection?: boolean;
  /** First reconnection delay (ms); doubles per failed attempt up to `reconnectionDelayMax`. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** Node only: the local address to connect from (load tests spread clients over 127.x.y.z like separate devices). */
  localAddress?: string;
}

/**
 * Backoff of reconnection attempts: starts at 250 ms and doubles, each delay jittered by +-50% so a
 * team's devices do not return in lockstep, and capped at 2 s, so a coordinator that restarts is
 * rejoined within about 2 s of coming back (a 10 s cap made a full rejoin take up to 9.6 s).
 */
export const RECONNECT_BACKOFF = { reconnectionDelay: 250, reconnectionDelayMax: 2_000, randomizationFactor: 0.5 } as const;

/** socket.io-client transport; reconnects with jittered exponential backoff unless told not to. */
export class SocketIoClientTransport implements ClientTransport {
  private socket: Socket | null = null;

  constructor(private readonly url: string, private readonly options: SocketIoClientOptions = {}) {}

  open(handler: ClientTransportHandler): void {
    const socket = io(this.url, {
      path: this.options.path ?? '/socket.io',
      transports: ['websocket'],
      parser: protocolFrames,
      reconnection: this.options.reconnection ?? true,
      reconnectionDelay: this.options.reconnectionDelay ?? RECONNECT_BACKOFF.reconnectionDelay,
      reconnectionDelayMax: this.options.reconnectionDelayMax ?? RECONNECT_BACKOFF.reconnectionDelayMax,
      randomizationFactor: RECONNECT_BACKOFF.randomizationFactor,
      ...(this.options.localAddress ? { localAddress: this.options.localAddress } : {}),
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
