import { describe, expect, it } from 'vitest';
import { CLIP_BIT_SCALE, decodeSecureVector, encodeSecureVector, EXAMPLE_WEIGHT_CAP, planSecureEncoding, secureSumProblem } from '../src/aggregation/index.ts';
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

  it('under distributed DP with adaptive clipping: the devices noise the clip bits, so the coordinator never sees the exact count', () => {
    const bitNoiseStd = 2;
    const enc = planSecureEncoding({ ...base, noise: 'distributed', updateNoiseMultiplier: 1, clipBitNoiseStd: bitNoiseStd }, 3);
    expect(enc.clipBitNoiseSigma).toBeCloseTo((bitNoiseStd * CLIP_BIT_SCALE) / Math.sqrt(3), 9);
    expect(planSecureEncoding({ ...base, noise: 'central', updateNoiseMultiplier: 1, clipBitNoiseStd: bitNoiseStd }, 3).clipBitNoiseSigma).toBeUndefined();
    // Over many rounds of the same three bits (two are 1), the decoded count is unbiased with the task's noise std.
    const counts: number[] = [];
    for (let r = 0; r < 400; r++) {
      const vectors = clients.map((c, k) => encodeSecureVector(c.update, c.n, c.loss, c.bit, enc, new Prng(1000 * r + k)));
      const d = decodeSecureVector(sumMod32(vectors), enc, 3);
      expect(d.clipBitNoiseStd).toBeCloseTo(bitNoiseStd, 9);
      counts.push(d.clipBits);
    }
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const sd = Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (counts.length - 1));
    expect(Math.abs(mean - 2)).toBeLessThan(0.35);
    expect(sd).toBeGreaterThan(1.7);
    expect(sd).toBeLessThan(2.3);
    expect(counts.filter((c) => Number.isInteger(c)).length).toBeLessThan(20);
    // The sum-bound check allows the noise's tail but not a count no honest clients could send.
    const honest = decodeSecureVector(sumMod32(clients.map((c) => encodeSecureVector(c.update, c.n, c.loss, c.bit, enc, new Prng(c.n)))), enc, 3);
    expect(secureSumProblem(honest, enc, 3, 5)).toBeNull();
    expect(secureSumProblem({ ...honest, clipBits: 3 + 11 * bitNoiseStd }, enc, 3, 5)).toMatch(/clip-bit count .* is outside/);
  });

  it('refuses a vector of the wrong length on both sides', () => {
    const enc = planSecureEncoding({ ...base, noise: 'none', updateNoiseMultiplier: null }, 3);
    expect(() => encodeSecureVector(new Float32Array(4), 1, 0, null, enc)).toThrow(/needs 6 values/);
    expect(() => decodeSecureVector(new Uint32Array(5), enc, 3)).toThrow(/expected 6/);
  });
});
