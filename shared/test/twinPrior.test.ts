import { describe, expect, it } from 'vitest';
import { chooseScale, dequantizeSum, quantize } from '../src/secagg/quantize.ts';
import { Prng } from '../src/random/index.ts';
import { addMoments, buildTwin, DEFAULT_PRIOR, MIN_PRIOR_ATHLETES, MOMENT_BOUND, MOMENT_LENGTH, priorFromMoments, twinMomentVector } from '../src/twin/index.ts';
import { twinRows } from './twinFixtures.ts';

describe('federated prior of twin parameters from moment sums', () => {
  const fits = Array.from({ length: 14 }, (_, i) =>
    buildTwin(twinRows(150, { fitnessTau: 40, fatigueTau: 6 + i, fitnessGain: 1.5, fatigueGain: 3 + 0.1 * i, dayAfterGain: 0.5, baseline: 6 + 0.1 * i }, i + 1), { draws: 0 }).fit,
  );

  it('client side: bounded vector of 1, posterior E[theta], E[theta^2]; prior-only fits contribute nothing', () => {
    const v = twinMomentVector(fits[0]!);
    expect(v).toHaveLength(MOMENT_LENGTH);
    expect(v[0]).toBe(1);
    const post = fits[0]!.posterior.logFitnessTau;
    expect(v[1]).toBeCloseTo(Math.log(fits[0]!.params.fitnessTau), 12);
    expect(v[2]).toBeCloseTo(post.mean ** 2 + post.variance, 12);
    expect(post.variance).toBeGreaterThan(0);
    for (const x of v) expect(Math.abs(x)).toBeLessThanOrEqual(MOMENT_BOUND);
    const short = buildTwin(twinRows(10), { draws: 0 }).fit;
    expect(Array.from(twinMomentVector(short))).toEqual(new Array(MOMENT_LENGTH).fill(0));
  });

  it('server side: the sum gives the mean and the spread plus posterior variance (one EM step); through secure-sum fixed point it is the same', () => {
    const vectors = fits.map(twinMomentVector);
    const prior = priorFromMoments(addMoments(vectors));
    expect(prior.athletes).toBe(14);
    const baselines = fits.map((f) => f.params.baseline);
    const mean = baselines.reduce((a, b) => a + b, 0) / baselines.length;
    expect(prior.baseline.mean).toBeCloseTo(mean, 9);
    const n = baselines.length;
    const meanVar = fits.reduce((a, f) => a + f.posterior.baseline.variance, 0) / n;
    const sd = Math.sqrt((baselines.reduce((a, b) => a + (b - mean) ** 2, 0) + n * meanVar) / (n - 1));
    expect(prior.baseline.sd).toBeCloseTo(Math.max(0.5, sd), 9);
    // The secure-sum path: fixed point in Z/2^32, masked sums add like plain sums, dequantized at the server.
    const scale = chooseScale({ clip: MOMENT_BOUND, maxClients: 1000 });
    const rng = new Prng(5);
    const sum = new Uint32Array(MOMENT_LENGTH);
    for (const v of vectors) {
      const q = quantize(v, scale, rng);
      for (let i = 0; i < MOMENT_LENGTH; i++) sum[i] = (sum[i]! + q[i]!) >>> 0;
    }
    const viaSecureSum = priorFromMoments(dequantizeSum(sum, scale));
    expect(viaSecureSum.athletes).toBe(14);
    expect(viaSecureSum.baseline.mean).toBeCloseTo(prior.baseline.mean, 3);
    expect(viaSecureSum.logGainRatio.mean).toBeCloseTo(prior.logGainRatio.mean, 3);
    expect(Math.log(viaSecureSum.residualSd)).toBeCloseTo(Math.log(prior.residualSd), 3);
  });

  it(`keeps the built-in prior below ${MIN_PRIOR_ATHLETES} athletes, and refuses a malformed sum`, () => {
    expect(priorFromMoments(addMoments(fits.slice(0, MIN_PRIOR_ATHLETES - 1).map(twinMomentVector)))).toBe(DEFAULT_PRIOR);
    expect(() => priorFromMoments(new Float64Array(3))).toThrow(/expected 15/);
    expect(() => addMoments([new Float64Array(4)])).toThrow(/expected 15/);
  });

  it('a learned prior shrinks a short history toward the population', () => {
    const prior = priorFromMoments(addMoments(fits.map(twinMomentVector)));
    const rows = twinRows(30, undefined, 99);
    const withPrior = buildTwin(rows, { prior, draws: 0 }).fit.params.baseline;
    const withDefault = buildTwin(rows, { draws: 0 }).fit.params.baseline;
    expect(Math.abs(withPrior - prior.baseline.mean)).toBeLessThan(Math.abs(withDefault - prior.baseline.mean) + 1e-9);
  });

  it('EM rounds of the sum (refit under the last prior, sum again) tighten the gain-ratio prior around the population ratio', () => {
    const rows = Array.from({ length: 24 }, (_, i) =>
      twinRows(150, { fitnessTau: 42, fatigueTau: 6 + (i % 6), fitnessGain: 1.2 + 0.05 * i, fatigueGain: 2 * (1.2 + 0.05 * i), dayAfterGain: 0.5, baseline: 6.8 }, 100 + i),
    );
    let prior = DEFAULT_PRIOR;
    const sds: number[] = [];
    for (let round = 0; round < 4; round++) {
      prior = priorFromMoments(addMoments(rows.map((r) => twinMomentVector(buildTwin(r, { prior, draws: 0 }).fit))));
      sds.push(prior.logGainRatio.sd);
    }
    expect(sds[3]!).toBeLessThan(0.8 * sds[0]!);
    expect(Math.abs(prior.logGainRatio.mean - Math.log(2))).toBeLessThan(0.15);
  });
});
