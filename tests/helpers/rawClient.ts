import { io, type Socket } from 'socket.io-client';
import { decodeServerMessage, encodeEnvelope, encodeMessage, PROTOCOL_EVENT, PROTOCOL_VERSION, protocolFrames, sealMessage, signHello, type ClientMessageInput, type ServerMessage } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';

/** A bare socket.io client speaking (or abusing) the protocol by hand. */
export class RawClient {
  readonly socket: Socket;
  readonly received: ServerMessage[] = [];
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false, parser: protocolFrames });
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

  seq = 0;
  nonce: Uint8Array = new Uint8Array(0);

  async hello(clientId: string, tasks: TaskId[], signingKey: Uint8Array | null = null): Promise<void> {
    const challenge = await this.next((m) => m.type === 'challenge');
    if (challenge.type !== 'challenge') throw new Error('expected a challenge');
    this.nonce = challenge.nonce;
    this.signingKey = signingKey;
    this.sendMessage({ type: 'hello', protocol: PROTOCOL_VERSION, clientId, tasks, sdk: 'raw-test', ...(signingKey ? { signature: signHello(signingKey, this.nonce, clientId, tasks) } : {}) });
    await this.next((m) => m.type === 'welcome' || m.type === 'error');
  }

  private signingKey: Uint8Array | null = null;

  /** Sends any object as a properly sealed message body (the body itself may be malformed). */
  sendMessage(body: ClientMessageInput | Record<string, unknown>): void {
    const bytes = encodeMessage(body as ClientMessageInput);
    this.socket.emit(PROTOCOL_EVENT, encodeEnvelope(sealMessage(this.signingKey, this.nonce, ++this.seq, bytes)));
  }

  /** Sends bytes (or anything) as they are, bypassing the envelope. */
  sendRaw(value: unknown): void {
    this.socket.emit(PROTOCOL_EVENT, value);
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
