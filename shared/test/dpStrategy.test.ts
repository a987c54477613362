import { describe, expect, it } from 'vitest';
import { createStrategy, withClientSideClippingDp, type FitAggregate } from '../src/aggregation/index.ts';
import { Prng } from '../src/random/index.ts';

const outcomes = [
  { clientId: 'a', numExamples: 1, update: Float32Array.from([3, 0]), trainLoss: 0 },
  { clientId: 'b', numExamples: 99, update: Float32Array.from([1, 0]), trainLoss: 0 },
];

describe('DP as a wrapper around a strategy', () => {
  it('weighs every client the same, where the inner FedAvg weighs by examples', () => {
    const inner = createStrategy({ name: 'fedavg' });
    const dp = withClientSideClippingDp(inner, { noise: 'distributed', noiseMultiplier: 1, clip: 5, random: new Prng(1) });
    expect(inner.reduceFit(outcomes).sum[0]).toBeCloseTo(1.02, 5);
    expect(dp.reduceFit(outcomes).sum[0]).toBeCloseTo(2, 6);
  });

  it('distributed mode adds nothing on the server; the inner optimizer applies the mean', () => {
    const dp = withClientSideClippingDp(createStrategy({ name: 'fedavg' }), { noise: 'distributed', noiseMultiplier: 1, clip: 5, random: new Prng(1) });
    const fit: FitAggregate = { sum: Float32Array.from([4, 2]), weight: 2, stats: { reporters: 2, numExamples: 0, trainLoss: Number.NaN, clipBits: 0 } };
    expect(Array.from(dp.aggregateFit(Float32Array.from([1, 1]), fit))).toEqual([3, 2]);
  });

  it('central mode adds Gaussian noise of sd z * clip / n to the mean', () => {
    const d = 20_000;
    const z = 1.2;
    const clip = 0.5;
    const n = 4;
    const dp = withClientSideClippingDp(createStrategy({ name: 'fedavg' }), { noise: 'central', noiseMultiplier: z, clip, random: new Prng(7) });
    const next = dp.aggregateFit(new Float32Array(d), { sum: new Float32Array(d), weight: n, stats: { reporters: n, numExamples: 0, trainLoss: 0, clipBits: 0 } });
    const mean = next.reduce((s, v) => s + v, 0) / d;
    const sd = Math.sqrt(next.reduce((s, v) => s + (v - mean) ** 2, 0) / (d - 1));
    // The sample sd of 20,000 draws is within 3% of the true one with overwhelming probability.
    expect(Math.abs(sd / ((z * clip) / n) - 1)).toBeLessThan(0.03);
    expect(Math.abs(mean)).toBeLessThan((4 * (z * clip)) / n / Math.sqrt(d));
  });

  it("tells the inner strategy the noise std on each coordinate of the mean: z * clip / n, times sqrt(n / sized survivors) for distributed shares", () => {
    for (const noise of ['central', 'distributed'] as const) {
      const inner = createStrategy({ name: 'fedavg' });
      let seen: number | undefined;
      const spy = { ...inner, aggregateFit: (global: Float32Array, fit: FitAggregate) => ((seen = fit.stats.meanNoiseStd), inner.aggregateFit(global, fit)) };
      const dp = withClientSideClippingDp(spy, { noise, noiseMultiplier: 0.8, clip: 5, random: new Prng(3) });
      dp.aggregateFit(Float32Array.from([0, 0]), { sum: Float32Array.from([4, 2]), weight: 4, stats: { reporters: 4, numExamples: 0, trainLoss: Number.NaN, clipBits: 0 } });
      expect(seen).toBeCloseTo((0.8 * 5) / 4, 12);
    }
    // Shares sized for 2 survivors, 4 reported: the sum carries sqrt(4 / 2) times the planned noise.
    let seen: number | undefined;
    const inner = createStrategy({ name: 'fedavg' });
    const spy = { ...inner, aggregateFit: (global: Float32Array, fit: FitAggregate) => ((seen = fit.stats.meanNoiseStd), inner.aggregateFit(global, fit)) };
    withClientSideClippingDp(spy, { noise: 'distributed', noiseMultiplier: 0.8, clip: 5, random: new Prng(3), noiseSurvivors: 2 })
      .aggregateFit(Float32Array.from([0, 0]), { sum: Float32Array.from([4, 2]), weight: 4, stats: { reporters: 4, numExamples: 0, trainLoss: Number.NaN, clipBits: 0 } });
    expect(seen).toBeCloseTo((0.8 * 5 * Math.SQRT2) / 4, 12);
  });
});
