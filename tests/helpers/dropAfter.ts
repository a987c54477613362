import { decode } from '@msgpack/msgpack';
import type { ClientTransport } from '@huddle/shared/protocol';

/** A client transport that goes silent (as a vanished phone would) right after sending a given SecAgg step. */
export function vanishAfter(inner: ClientTransport, kind: string): ClientTransport {
  let gone = false;
  return {
    open: (h) => inner.open(h),
    send: (bytes) => {
      if (gone) return;
      inner.send(bytes);
      const envelope = decode(bytes) as { body: Uint8Array };
      const msg = decode(envelope.body) as { type: string; payload?: { kind?: string } };
      if (msg.type === 'secagg' && msg.payload?.kind === kind) {
        gone = true;
        setTimeout(() => inner.close(), 0);
      }
    },
    close: () => inner.close(),
  };
}
