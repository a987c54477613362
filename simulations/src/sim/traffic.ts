import type { ClientTransport } from '@huddle/shared/protocol';

/** Bytes the simulated devices received and sent, as their transports saw them (every message, envelopes included). */
export class TrafficCounter {
  down = 0;
  up = 0;

  /** The same transport, counting what passes through it. */
  wrap(inner: ClientTransport): ClientTransport {
    return {
      open: (h) =>
        inner.open({
          onOpen: () => h.onOpen(),
          onClose: (reason) => h.onClose(reason),
          onMessage: (bytes) => {
            this.down += byteLength(bytes);
            h.onMessage(bytes);
          },
        }),
      send: (bytes) => {
        this.up += bytes.byteLength;
        inner.send(bytes);
      },
      close: () => inner.close(),
    };
  }

  /** What was counted since the last call. */
  take(): { down: number; up: number } {
    const out = { down: this.down, up: this.up };
    this.down = 0;
    this.up = 0;
    return out;
  }
}

function byteLength(bytes: unknown): number {
  return bytes instanceof Uint8Array || bytes instanceof ArrayBuffer ? bytes.byteLength : 0;
}
