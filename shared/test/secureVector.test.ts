import { describe, expect, it } from 'vitest';
import { decodeSecureVector, encodeSecureVector, EXAMPLE_WEIGHT_CAP, planSecureEncoding } from '../src/aggregation/index.ts';
import { Prng } from '../src/random/index.ts';

/** What the masks cancel to: the plain sum of the clients' vectors in Z/2^32. */
function sumMod32(vectors: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] = (out[i]! + v[i]!) >>> 0;
  return out;
}

const clients = [
  { update: Float32Array.from([0.5, -1, 0.25]), n: 10, loss: 0.4, bit: 1 as const },
  { update: Float32Array.from([-0.5, 2, 0]), n: 30, loss: 0.2, bit: 0 as const },
  { update: Float32Array.from([1, 0, -0.75]), n: 5000, loss: 0.1, bit: 1 as const },
];
const base = { clip: 5, parameters: 3, minClients: 3, needsIndividualUpdates: false };

describe('the secure-vector codec (client encodes, coordinator decodes)', () => {
  it('without DP: decodes the example-weighted sum, its weight (capped) and the statistics', () => {
    const enc = planSecureEncoding({ ...base, noise: 'none', updateNoiseMultiplier: null }, 3);
    expect(enc.releaseStats).toBe(true);
    const random = new Prng(3);
    const total = sumMod32(clients.map((c) => encodeSecureVector(c.update, c.n, c.loss, c.bit, enc, random)));
    const d = decodeSecureVector(total, enc, 3);
    const w = clients.map((c) => Math.min(c.n, EXAMPLE_WEIGHT_CAP));
    expect(d.weight).toBe(w[0]! + w[1]! + w[2]!);
    for (let i = 0; i < 3; i++) {
      const expected = clients.reduce((s, c, k) => s + w[k]! * c.update[i]!, 0);
      expect(Math.abs(d.sum[i]! - expected)).toBeLessThan((3 * EXAMPLE_WEIGHT_CAP) / enc.scale + 1e-3);
    }
    expect(d.numExamples).toBe(d.weight);
    expect(d.trainLoss).toBeCloseTo((400 + 200 + 100) / 1000 / 3, 6);
    expect(d.clipBits).toBe(2);
  });

  it('under distributed DP: every client weighs 1, statistics are withheld, the clip bits still add up', () => {
    const enc = planSecureEncoding({ ...base, noise: 'distributed', updateNoiseMultiplier: 1 }, 3);
    expect(enc.noiseSigma).toBeGreaterThan(0);
    expect(enc.releaseStats).toBe(false);
    const total = sumMod32(clients.map((c) => encodeSecureVector(c.update, c.n, c.loss, c.bit, enc, new Prng(c.n))));
    const d = decodeSecureVector(total, enc, 3);
    expect(d.weight).toBe(3);
    expect(d.numExamples).toBe(0);
    expect(Number.isNaN(d.trainLoss)).toBe(true);
    expect(d.clipBits).toBe(2);
  });

  it('refuses a vector of the wrong length on both sides', () => {
    const enc = planSecureEncoding({ ...base, noise: 'none', updateNoiseMultiplier: null }, 3);
    expect(() => encodeSecureVector(new Float32Array(4), 1, 0, null, enc)).toThrow(/needs 6 values/);
    expect(() => decodeSecureVector(new Uint32Array(5), enc, 3)).toThrow(/expected 6/);
  });
});
