import { describe, expect, it } from 'vitest';
import { encodeMessage, type ClientTransportHandler } from '@huddle/shared/protocol';
import { recordingTransport } from '../src/engine/outbox.ts';
import type { OutboxEntry } from '../src/engine/messages.ts';

const FIT = { localEpochs: 1, batchSize: 8, learningRate: 0.1, proximalMu: 0, clipNorm: 5, seed: 1 };
const SECURE = { scale: 1024, vectorLength: 10, noiseSigma: 3, minNeighbours: 4, releaseStats: false, exampleWeightCap: 0 };

function fitRequest(roundId: string, task: 'injury' | 'readiness', round: number, secure: typeof SECURE | null) {
  return encodeMessage({ type: 'fitRequest', roundId, task, round, model: { round: round - 1, checksum: '0123456789abcdef' }, weights: null, config: FIT, secure, clipBitBound: null, deadline: Date.now() + 60_000 });
}

/** A transport whose incoming side the test drives, wrapped by the outbox recorder. */
function recorded() {
  const entries: OutboxEntry[] = [];
  let handler: ClientTransportHandler | null = null;
  const transport = recordingTransport({ open: (h) => (handler = h), send: () => {}, close: () => {} }, (e) => entries.push(e));
  const received: unknown[] = [];
  transport.open({ onOpen: () => {}, onMessage: (b) => received.push(b), onClose: () => {} });
  return { transport, entries, received, incoming: (bytes: Uint8Array) => handler!.onMessage(bytes) };
}

describe('the outbox in plain words', () => {
  it('names the round and task, and says who can read a secure update and a plain one', () => {
    const r = recorded();
    r.incoming(fitRequest('injury-12-a', 'injury', 12, SECURE));
    r.incoming(fitRequest('readiness-3-b', 'readiness', 3, null));
    expect(r.received).toHaveLength(2);
    r.transport.send(encodeMessage({ type: 'secagg', roundId: 'injury-12-a', payload: { kind: 'secagg/masked-input', masked: [1, 2] } }));
    r.transport.send(encodeMessage({ type: 'fitResult', roundId: 'readiness-3-b', update: new Uint8Array(40), numExamples: 30, trainLoss: 0.5, clipBit: 1 }));
    r.transport.send(encodeMessage({ type: 'hello', protocol: 1, clientId: 'cl_1', tasks: ['injury'], sdk: 'x' }));
    const [masked, plain, hello] = r.entries;
    expect(masked!.plain).toBe('Sent your training update for round 12 of the injury risk model, encrypted so the team server only sees the team’s sum, with privacy noise added on this device.');
    expect(masked!.details).toContainEqual(['Step', 'secagg/masked-input']);
    expect(plain!.plain).toMatch(/^Sent your training update for round 3 of the readiness model: .*the team server can read this update\.$/);
    expect(hello!.plain).toMatch(/^Told the team server this device is online/);
    // The technical description is kept for the disclosure.
    expect(plain!.summary).toMatch(/clipped model update/);
  });

  it('still says something true for a round it has not seen requested', () => {
    const r = recorded();
    r.transport.send(encodeMessage({ type: 'secagg', roundId: 'injury-9-z', payload: { kind: 'secagg/advertise-keys' } }));
    expect(r.entries[0]!.plain).toBe('Started secure aggregation for a round of a team model: sent one-time public keys, no data.');
  });
});
