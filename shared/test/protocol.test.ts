import { describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import nacl from 'tweetnacl';
import { decodeClientMessage, decodeEnvelope, encodeEnvelope, encodeMessage, encodeSealedMessage, PROTOCOL_VERSION, SCORE_BINS, sealMessage, verifyEnvelopeSignature } from '../src/protocol/index.ts';

/** A fit result that passes the schema; each refusal below changes exactly one field of it. */
const valid = { type: 'fitResult' as const, roundId: 'injury-1-ab', numExamples: 10, update: new Uint8Array(8), trainLoss: 0.5, clipBit: null };

/** The counts with the fourth one replaced. */
const withCount = (counts: unknown[], value: unknown): unknown[] => counts.map((c, i) => (i === 3 ? value : c));

describe('wire protocol', () => {
  it('round-trips a fit result with binary weights (not a JSON array)', () => {
    const update = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const bytes = encodeMessage({ type: 'fitResult', roundId: 'injury-1-ab', numExamples: 10, update, trainLoss: 0.5, clipBit: null });
    const decoded = decodeClientMessage(bytes);
    expect(decoded).toEqual({ ok: true, message: { type: 'fitResult', roundId: 'injury-1-ab', numExamples: 10, update, trainLoss: 0.5, clipBit: null } });
    // msgpack bin8 header 0xc4 then the length: the bytes travel as-is.
    const at = bytes.indexOf(0xc4);
    expect(at).toBeGreaterThan(0);
    expect(bytes[at + 1]).toBe(8);
  });

  it('accepts the valid fit result the refusals below start from', () => {
    expect(decodeClientMessage(encode(valid))).toMatchObject({ ok: true, message: { type: 'fitResult', numExamples: 10 } });
  });

  it('reports malformed and oversized messages without throwing', () => {
    expect(decodeClientMessage('hello')).toMatchObject({ ok: false, code: 'malformed' });
    expect(decodeClientMessage(new Uint8Array([0xc1]))).toMatchObject({ ok: false, code: 'malformed' });
    expect(decodeClientMessage(new Uint8Array(100), 10)).toMatchObject({ ok: false, code: 'too-large' });
  });

  it.each([
    ['a negative example count', { numExamples: -1 }, /^invalid message: numExamples: /],
    ['weights as a JSON array instead of bytes', { update: [1, 2] }, /^invalid message: update: /],
    ['a non-finite training loss', { trainLoss: Number.NaN }, /^invalid message: trainLoss: /],
    ['an unknown message type', { type: 'sudo', protocol: PROTOCOL_VERSION }, /^invalid message: type: /],
  ])('refuses %s, naming the field', (_, change, error) => {
    const decoded = decodeClientMessage(encode({ ...valid, ...change }));
    expect(decoded).toMatchObject({ ok: false, code: 'malformed', error: expect.stringMatching(error) });
  });

  it.each([
    ['99 counts', (c: unknown[]) => c.slice(1)],
    ['101 counts', (c: unknown[]) => [...c, 0]],
    ['a negative count', (c: unknown[]) => withCount(c, -1)],
    ['a fractional count', (c: unknown[]) => withCount(c, 0.5)],
    ['an unsafe integer', (c: unknown[]) => withCount(c, 2 ** 53)],
    ['a count as a string', (c: unknown[]) => withCount(c, '1')],
    ['a null count', (c: unknown[]) => withCount(c, null)],
  ])('refuses an evaluation summary with %s, naming the field; accepts the counts it starts from', (_, change) => {
    const counts: unknown[] = new Array(SCORE_BINS).fill(2);
    const result = (positives: unknown[]) => encode({ type: 'evaluateResult', roundId: 'injury-1-ab', numExamples: 5, sumLoss: 1, summary: { kind: 'binary', positives, negatives: counts } });
    expect(decodeClientMessage(result(counts))).toMatchObject({ ok: true, message: { summary: { kind: 'binary', positives: counts, negatives: counts } } });
    expect(decodeClientMessage(result(change(counts)))).toMatchObject({ ok: false, code: 'malformed', error: expect.stringMatching(/^invalid message: summary\.positives: /) });
  });

  it('seals and encodes in one go the same bytes as encodeMessage, sealMessage and encodeEnvelope', () => {
    const keys = nacl.sign.keyPair();
    const nonce = new Uint8Array(32).fill(5);
    const big = { ...valid, update: new Uint8Array(40_000).map((_, i) => i & 0xff) };
    for (const secretKey of [keys.secretKey, null]) {
      const first = encodeSealedMessage(big, (body) => sealMessage(secretKey, nonce, 7, body));
      // A second message through the same reused buffers leaves the first one's bytes as they were.
      const second = encodeSealedMessage(valid, (body) => sealMessage(secretKey, nonce, 8, body));
      expect(first).toEqual(encodeEnvelope(sealMessage(secretKey, nonce, 7, encodeMessage(big))));
      expect(second).toEqual(encodeEnvelope(sealMessage(secretKey, nonce, 8, encodeMessage(valid))));
      const envelope = decodeEnvelope(first);
      if (!envelope.ok) throw new Error(envelope.error);
      expect(verifyEnvelopeSignature(keys.publicKey, nonce, envelope.message)).toBe(secretKey !== null);
      expect(decodeClientMessage(envelope.message.body)).toMatchObject({ ok: true, message: { type: 'fitResult', update: big.update } });
    }
  });
});
