import { decodeClientMessage, decodeEnvelope, type ClientMessage, type ClientTransport } from '@huddle/shared/protocol';
import type { OutboxEntry } from './messages.ts';
import { plainWords, RoundContext } from './outboxWords.ts';

const nf = new Intl.NumberFormat('en');

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

function l2(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let s = 0;
  for (let i = 0; i + 4 <= bytes.byteLength; i += 4) s += view.getFloat32(i, true) ** 2;
  return Math.sqrt(s);
}

/** Adaptive clipping's one bit (whether the update was already within the requested size), when sent. */
function clipBitDetail(message: object): [string, string][] {
  const bit = (message as { clipBit?: unknown }).clipBit;
  return bit === 0 || bit === 1 ? [['Within the size limit before clipping', bit === 1 ? 'yes (1 bit)' : 'no (1 bit)']] : [];
}

/** Reads a message this client is about to send (a signed envelope, or a bare message) and says what is in it. */
export function describeOutgoing(bytes: Uint8Array, at = new Date()): OutboxEntry {
  let message: ClientMessage | null = null;
  let signed = false;
  const bare = decodeClientMessage(bytes, Number.MAX_SAFE_INTEGER);
  if (bare.ok) message = bare.message;
  else {
    const env = decodeEnvelope(bytes, Number.MAX_SAFE_INTEGER);
    if (env.ok) {
      signed = !!env.message.sig;
      const inner = decodeClientMessage(env.message.body, Number.MAX_SAFE_INTEGER);
      if (inner.ok) message = inner.message;
    }
  }
  const base = { at: at.toISOString(), bytes: bytes.byteLength, ...(message && 'roundId' in message ? { roundId: message.roundId } : {}) };
  const sig: [string, string][] = signed ? [['Signed', 'yes, with this device’s enrollment key']] : [];
  if (!message) return { ...base, type: 'unknown', summary: 'A protocol message', details: sig };
  switch (message.type) {
    case 'hello':
      return {
        ...base,
        type: 'hello',
        summary: 'Said hello: your pseudonymous device id and the tasks you opted in to',
        details: [['Device id', message.clientId], ['Tasks', message.tasks.join(', ') || 'none'], ...sig],
      };
    case 'setTasks':
      return { ...base, type: 'setTasks', summary: 'Changed which tasks this device helps train', details: [['Tasks', message.tasks.join(', ') || 'none'], ...sig] };
    case 'fitResult':
      return {
        ...base,
        type: 'fitResult',
        summary: 'Sent a clipped model update (weight changes only, no log values)',
        details: [
          ['Round', message.roundId],
          ['Update', `${nf.format(message.update.byteLength / 4)} numbers (${kb(message.update.byteLength)}), size ${l2(message.update).toFixed(3)}`],
          ['Days trained on', String(message.numExamples)],
          ['Average training error', message.trainLoss.toFixed(4)],
          ...clipBitDetail(message),
          ...sig,
        ],
      };
    case 'evaluateResult': {
      const s = message.summary;
      const what =
        s.kind === 'binary'
          ? `histogram of predicted risk by outcome (${s.positives.reduce((a, b) => a + b, 0)} days with an injury after, ${s.negatives.reduce((a, b) => a + b, 0)} without)`
          : `error sums (absolute ${s.sumAbsError.toFixed(2)}, squared ${s.sumSquaredError.toFixed(2)})`;
      return {
        ...base,
        type: 'evaluateResult',
        summary: 'Sent evaluation numbers for the new team model',
        details: [['Round', message.roundId], ['Days evaluated', String(message.numExamples)], ['Content', what], ['Sum of losses', message.sumLoss.toFixed(4)], ...sig],
      };
    }
    case 'decline':
      return { ...base, type: 'decline', summary: 'Declined a round', details: [['Round', message.roundId], ['Reason', message.reason], ...sig] };
    case 'secagg':
      return {
        ...base,
        type: 'secagg',
        ...(typeof message.payload.kind === 'string' ? { step: message.payload.kind } : {}),
        summary: 'Secure aggregation step: masked update or key material, unreadable on its own',
        details: [['Round', message.roundId], ['Step', typeof message.payload.kind === 'string' ? message.payload.kind : '—'], ...sig],
      };
    default: {
      const type = (message as { type: string }).type;
      return { ...base, type, summary: `A "${type}" protocol message`, details: sig };
    }
  }
}

/**
 * Wraps a transport so every outgoing message is described to `sink` before it is sent, in plain words too: the
 * coordinator's incoming requests say which task and round a round id stands for.
 */
export function recordingTransport(inner: ClientTransport, sink: (entry: OutboxEntry) => void): ClientTransport {
  const rounds = new RoundContext();
  return {
    open: (handler) =>
      inner.open({
        onOpen: () => handler.onOpen(),
        onMessage: (bytes) => {
          rounds.observe(bytes);
          handler.onMessage(bytes);
        },
        onClose: (reason) => handler.onClose(reason),
      }),
    send: (bytes) => {
      try {
        const entry = describeOutgoing(bytes);
        sink({ ...entry, plain: plainWords(entry, rounds.get(entry.roundId)) });
      } catch {
        const entry: OutboxEntry = { at: new Date().toISOString(), type: 'unknown', bytes: bytes.byteLength, summary: 'A protocol message', details: [] };
        sink({ ...entry, plain: plainWords(entry, undefined) });
      }
      inner.send(bytes);
    },
    close: () => inner.close(),
  };
}
