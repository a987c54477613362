import { io, type Socket } from 'socket.io-client';
import { decodeServerMessage, encodeMessage, PROTOCOL_EVENT, PROTOCOL_VERSION, type ServerMessage } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';

/** A bare socket.io client speaking (or abusing) the protocol by hand. */
export class RawClient {
  readonly socket: Socket;
  readonly received: ServerMessage[] = [];
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false });
    this.socket.on(PROTOCOL_EVENT, (bytes: unknown) => {
      const d = decodeServerMessage(bytes);
      if (!d.ok) return;
      this.received.push(d.message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(d.message)) return true;
        w.resolve(d.message);
        return false;
      });
    });
  }

  async hello(clientId: string, tasks: TaskId[]): Promise<void> {
    await new Promise<void>((r) => (this.socket.connected ? r() : this.socket.once('connect', () => r())));
    this.socket.emit(PROTOCOL_EVENT, encodeMessage({ type: 'hello', protocol: PROTOCOL_VERSION, clientId, tasks, sdk: 'raw-test' }));
    await this.next((m) => m.type === 'welcome');
  }

  next(pred: (m: ServerMessage) => boolean, timeoutMs = 30_000): Promise<ServerMessage> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('timed out waiting for a coordinator message')), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(t), resolve(m)) });
    });
  }

  errors(): Extract<ServerMessage, { type: 'error' }>[] {
    return this.received.filter((m): m is Extract<ServerMessage, { type: 'error' }> => m.type === 'error');
  }

  close(): void {
    this.socket.disconnect();
  }
}
