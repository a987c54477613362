import { describe, expect, it } from 'vitest';
import { encode } from '@msgpack/msgpack';
import { decodeClientMessage, encodeMessage, PROTOCOL_VERSION } from '../src/protocol/index.ts';

describe('wire protocol', () => {
  it('round-trips a fit result with binary weights (not a JSON array)', () => {
    const update = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const bytes = encodeMessage({ type: 'fitResult', roundId: 'injury-1-ab', numExamples: 10, update, trainLoss: 0.5, clipBit: null });
    const decoded = decodeClientMessage(bytes);
    expect(decoded.ok).toBe(true);
    if (decoded.ok && decoded.message.type === 'fitResult') expect(Array.from(decoded.message.update)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // msgpack bin8 header 0xc4 then the length: the bytes travel as-is.
    const at = bytes.indexOf(0xc4);
    expect(at).toBeGreaterThan(0);
    expect(bytes[at + 1]).toBe(8);
  });

  it('reports malformed, oversized and wrong-shape messages without throwing', () => {
    expect(decodeClientMessage('hello')).toMatchObject({ ok: false, code: 'malformed' });
    expect(decodeClientMessage(new Uint8Array([0xc1]))).toMatchObject({ ok: false, code: 'malformed' });
    expect(decodeClientMessage(new Uint8Array(100), 10)).toMatchObject({ ok: false, code: 'too-large' });
    const wrong = decodeClientMessage(encode({ type: 'fitResult', roundId: 'r', numExamples: -1, update: [1, 2], trainLoss: 0 }));
    expect(wrong.ok).toBe(false);
    const unknown = decodeClientMessage(encode({ type: 'sudo', protocol: PROTOCOL_VERSION }));
    expect(unknown.ok).toBe(false);
    const nonFinite = decodeClientMessage(encode({ type: 'fitResult', roundId: 'r', numExamples: 1, update: new Uint8Array(4), trainLoss: Number.NaN }));
    expect(nonFinite.ok).toBe(false);
  });
});
