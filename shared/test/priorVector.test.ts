import { describe, expect, it } from 'vitest';
import { addCentralPriorNoise, decodePriorSum, encodePriorMoments, planPriorEncoding, PRIOR_MOMENT_CLIP, priorSumProblem, twinMomentProblem } from '../src/aggregation/index.ts';
import { Prng } from '../src/random/index.ts';
import { addMoments, DEFAULT_PRIOR, MOMENT_FIELDS, MOMENT_LENGTH, parsePriorJson, populationPriorSchema } from '../src/twin/index.ts';

/** A valid moment vector of one athlete: every field at a point inside its bounds, posterior variance `v`. */
function vector(at: number, v = 0.01): number[] {
  const out = [1];
  for (const { bounds } of MOMENT_FIELDS) {
    const m = bounds[0] + at * (bounds[1] - bounds[0]);
    out.push(m, Math.min(Math.max(bounds[0] ** 2, bounds[1] ** 2), m * m + v));
  }
  return out;
}

function sumMod(inputs: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(inputs[0]!.length);
  for (const x of inputs) for (let i = 0; i < x.length; i++) out[i] = (out[i]! + x[i]!) >>> 0;
  return out;
}

describe('the twin-prior moment vector on the secure-sum path', () => {
  it('names the field and bound of a vector outside its bounds', () => {
    expect(twinMomentProblem(vector(0.5))).toBeNull();
    expect(twinMomentProblem(new Array(MOMENT_LENGTH).fill(0))).toBeNull();
    expect(twinMomentProblem(vector(0.5).slice(1))).toBe(`has ${MOMENT_LENGTH - 1} values, expected ${MOMENT_LENGTH}`);
    const twoAthletes = vector(0.5);
    twoAthletes[0] = 2;
    expect(twinMomentProblem(twoAthletes)).toBe('count is 2, must be 0 or 1 (one athlete)');
    const far = vector(0.5);
    far[5] = 11; // baseline mean
    expect(twinMomentProblem(far)).toBe('baseline mean 11.00 is outside [0.000, 10.00]');
    const lowSecond = vector(0.5);
    lowSecond[6] = lowSecond[5]! ** 2 - 1;
    expect(twinMomentProblem(lowSecond)).toMatch(/^baseline second moment .* is outside \[mean\^2, 100\.0\]$/);
    const nan = vector(0.5);
    nan[7] = Number.NaN;
    expect(twinMomentProblem(nan)).toBe('value 7 is not a finite number');
    const zeroCount = new Array(MOMENT_LENGTH).fill(0);
    zeroCount[1] = 3;
    expect(twinMomentProblem(zeroCount)).toBe('logFitnessTau: a vector with count 0 must be all zeros');
  });

  it('gives the plain sum back through quantize, sum in Z/2^32 and decode, to fixed-point precision', () => {
    const vectors = [0.1, 0.4, 0.6, 0.9, 0.5].map((a) => vector(a, 0.02));
    const enc = planPriorEncoding({ noise: 'none', noiseMultiplier: null, minClients: 3 }, vectors.length);
    const random = new Prng(3);
    const { sum, noiseStd } = decodePriorSum(sumMod(vectors.map((v) => encodePriorMoments(v, enc, random))), enc, vectors.length);
    const exact = addMoments(vectors);
    for (let i = 0; i < MOMENT_LENGTH; i++) expect(Math.abs(sum[i]! - exact[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(exact[i]!)));
    expect([...noiseStd].every((s) => s === 0)).toBe(true);
  });

  it('under distributed DP the decoded sum stays within the stated noise of the exact one', () => {
    const vectors = Array.from({ length: 8 }, (_, i) => vector(i / 8));
    const enc = planPriorEncoding({ noise: 'distributed', noiseMultiplier: 1, minClients: 5 }, vectors.length);
    expect(enc.noiseSigma).toBeGreaterThan(0);
    const { sum, noiseStd } = decodePriorSum(sumMod(vectors.map((v) => encodePriorMoments(v, enc, new Prng(11)))), enc, vectors.length);
    const exact = addMoments(vectors);
    // z = 1 on the normalized vector: the count's noise std is at least z x clip / sqrt(8 / 5) over 8 survivors.
    expect(noiseStd[0]!).toBeGreaterThan(PRIOR_MOMENT_CLIP / 2);
    for (let i = 0; i < MOMENT_LENGTH; i++) expect(Math.abs(sum[i]! - exact[i]!)).toBeLessThan(6 * noiseStd[i]!);
    expect(sum.some((x, i) => Math.abs(x - exact[i]!) > 1e-3)).toBe(true);
  });

  it('central DP adds noise of z x clip per normalized coordinate, scaled back to each field', () => {
    const sum = addMoments([vector(0.5)]);
    const std = addCentralPriorNoise(sum, 2, new Prng(5));
    expect(std[0]).toBeCloseTo(2 * PRIOR_MOMENT_CLIP, 12);
    expect(std[5]).toBeCloseTo(2 * PRIOR_MOMENT_CLIP * 10, 12); // baseline mean, bound 10
  });

  it('reads a prior file: a published prior, a bare prior, or a clear error', () => {
    const bare = parsePriorJson(JSON.stringify(DEFAULT_PRIOR));
    expect(bare).toEqual({ ok: true, prior: DEFAULT_PRIOR, published: null });
    expect(populationPriorSchema.safeParse({ ...DEFAULT_PRIOR, logFatigueTau: { mean: Math.log(500), sd: 0.1 } }).success).toBe(false);
    const bad = parsePriorJson(JSON.stringify({ ...DEFAULT_PRIOR, baseline: { mean: 6, sd: -1 } }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^not a twin prior: baseline\.sd: Too small/);
    expect(parsePriorJson('{').ok).toBe(false);
  });

  it('refuses a secure sum no set of in-bounds devices can produce, allowing for the DP noise', () => {
    const vectors = [0.1, 0.5, 0.9].map((a) => vector(a));
    const sum = addMoments(vectors);
    const none = new Float64Array(MOMENT_LENGTH);
    expect(priorSumProblem(sum, 3, none)).toBeNull();
    // A device that put a 500-day fitness time constant into the sum (log 500 = 6.2, bound log 100 = 4.6).
    const poisoned = addMoments([...vectors.slice(0, 2), vector(0.9).map((x, i) => (i === 1 ? Math.log(500) * 3 : x))]);
    expect(priorSumProblem(poisoned, 3, none)).toMatch(/^logFitnessTau: the sum 24\.63 is outside what 3 athletes within \[2\.303, 4\.605\] can add up to$/);
    expect(priorSumProblem(Float64Array.from(sum, (x, i) => (i === 0 ? 5 : x)), 3, none)).toBe('count 5.00 is outside [0, 3]');
    // Within 6 noise SDs it is accepted: DP noise alone never blocks publication.
    expect(priorSumProblem(Float64Array.from(sum, (x, i) => (i === 0 ? 5 : x)), 3, Float64Array.from(none, () => 1))).toBeNull();
  });
});
