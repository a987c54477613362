import type { ClientTransport, ClientTransportHandler } from '@huddle/shared/protocol';
import { SocketIoClientTransport } from './socketIoClient.ts';

export interface FailoverOptions {
  /** First retry delay; doubles per consecutive failure up to `maxDelayMs`, with full jitter. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Makes the transport for one address (default: socket.io without its own reconnection). */
  connect?: (url: string) => ClientTransport;
}

/**
 * Several coordinator nodes behind a list of addresses: when a connection closes or fails, the
 * client tries the next address after a jittered backoff, so a dead node costs one retry.
 */
export class FailoverClientTransport implements ClientTransport {
  private current: ClientTransport | null = null;
  private failures = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly connect: (url: string) => ClientTransport;

  constructor(
    private readonly urls: readonly string[],
    private readonly options: FailoverOptions = {},
  ) {
    if (urls.length === 0) throw new Error('FailoverClientTransport needs at least one coordinator address');
    this.connect = options.connect ?? ((url) => new SocketIoClientTransport(url, { reconnection: false }));
  }

  open(handler: ClientTransportHandler): void {
    this.stopped = false;
    this.attempt(handler, 0);
  }

  send(bytes: Uint8Array): void {
    this.current?.send(bytes);
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.current?.close();
    this.current = null;
  }

  private attempt(handler: ClientTransportHandler, index: number): void {
    if (this.stopped) return;
    const transport = this.connect(this.urls[index % this.urls.length]!);
    this.current = transport;
    let closed = false;
    transport.open({
      onOpen: () => {
        this.failures = 0;
        handler.onOpen();
      },
      onMessage: (bytes) => {
        if (this.current === transport) handler.onMessage(bytes);
      },
      onClose: (reason) => {
        if (closed || this.current !== transport) return;
        closed = true;
        transport.close();
        handler.onClose(reason);
        if (this.stopped) return;
        this.failures++;
        const cap = Math.min(this.options.maxDelayMs ?? 5_000, (this.options.initialDelayMs ?? 200) * 2 ** (this.failures - 1));
        this.timer = setTimeout(() => this.attempt(handler, index + 1), Math.random() * cap);
      },
    });
  }
}
