import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, featureIndex } from '../src/features/index.ts';
import { additiveContribution, additiveLayout, additivePredict, applyAdditiveAggregate, fitAdditive, initialAdditive, slotOf, type ModelSettings, type TrainingData } from '../src/model/index.ts';
import { modelFamily, modelSettingsSchema } from '../src/model/index.ts';
import { modelSpec } from '../src/model/spec.ts';
import { bucketMedian, RESIDUAL_BUCKETS, residualBucket } from '../src/model/additive/residualBuckets.ts';
import { Prng } from '../src/random/index.ts';

const MEDIAN: ModelSettings = { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 1, l2: 0, monotone: false, step: 'median' };
const SIGN: ModelSettings = { ...MEDIAN, step: 'newton' };

/** Days whose change from today is 1.2 points when sleep quality is 5 and 0 otherwise, plus skewed noise (mean 0.25, median 0). */
function days(n: number, seed: number): TrainingData {
  const rng = new Prng(seed);
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Float32Array(n);
  const sq = featureIndex('sleep_quality_value');
  for (let r = 0; r < n; r++) {
    const sleep = 1 + Math.floor(rng.uniform(0, 5));
    x[r * FEATURE_COUNT + sq] = sleep - 3;
    const noise = rng.uniform(0, 1) < 0.75 ? rng.uniform(-0.1, 0.1) : 1;
    y[r] = 5 + (sleep === 5 ? 1.2 : 0) + noise;
  }
  return { x, y, n };
}

describe('median step (absolute loss)', () => {
  it('reads a median from bucket counts by interpolation, and ignores negative (noised) counts', () => {
    expect([-1, -0.25, -0.1, 0, 0.1, 0.25, 3].map(residualBucket)).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(RESIDUAL_BUCKETS).toBe(4);
    // Each bucket also holds a pseudo-count of 1% of the days. 1 day below -0.25, 1 in [-0.25, 0), 2 in [0, 0.25):
    // the median (2.08 of 4.16) is the top of bucket 1.
    expect(bucketMedian([1, 1, 2, 0], 0, 1)).toBeCloseTo(0, 12);
    // 3 days in [0, 0.25) and 1 above: 2.08 - 0.08 of the 3.04 in that bucket.
    expect(bucketMedian([0, 0, 3, 1], 0, 1)).toBeCloseTo(0.25 * (2 / 3.04), 12);
    expect(bucketMedian([0, -5, 0, 2], 0, 1)).toBeCloseTo(0.25 + ((1.04 - 0.06) / 2.02) * 1.75, 12);
    expect(bucketMedian([0, 0, 0, 0], 0, 1)).toBe(0);
    // Continuous across an even split with an empty bucket between (no jump from 0 to 0.25).
    expect(Math.abs(bucketMedian([2, 0, 0, 2.000001], 0, 1) - bucketMedian([2, 0, 0, 2], 0, 1))).toBeLessThan(1e-4);
  });

  it("sends per-slot bucket counts whose example-weighted mean over clients is the pooled one, and steps each bin to its median", () => {
    const layout = additiveLayout();
    const a = days(300, 1);
    const b = days(700, 2);
    const pooled: TrainingData = { x: new Float32Array([...a.x, ...b.x]), y: new Float32Array([...a.y, ...b.y]), n: 1000 };
    const params = initialAdditive();
    const ca = additiveContribution('readiness', MEDIAN, params, a);
    const cb = additiveContribution('readiness', MEDIAN, params, b);
    const cp = additiveContribution('readiness', MEDIAN, params, pooled);
    expect(cp.vector.length).toBe(RESIDUAL_BUCKETS * layout.size);
    expect(modelFamily('additive').contributionManifest(modelSpec('readiness', FEATURE_COUNT), MEDIAN).reduce((s, e) => s + e.shape[0]!, 0)).toBe(cp.vector.length);
    let maxDiff = 0;
    for (let i = 0; i < cp.vector.length; i++) maxDiff = Math.max(maxDiff, Math.abs((300 * ca.vector[i]! + 700 * cb.vector[i]!) / 1000 - cp.vector[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    // Every day lands in one bucket of the intercept: its counts sum to 1 day per day.
    let intercept = 0;
    for (let k = 0; k < RESIDUAL_BUCKETS; k++) intercept += cp.vector[k * layout.size]!;
    expect(intercept).toBeCloseTo(1, 6);

    // Full step (lr 1, no L2) from persistence: days with sleep 5 get their median change (about 1.2, the bucket
    // above 0.25 read by interpolation), the others about 0 - not the mean 0.25 of the skewed noise.
    const next = applyAdditiveAggregate('readiness', MEDIAN, params, cp.vector);
    const x = new Float32Array(2 * FEATURE_COUNT);
    x[featureIndex('sleep_quality_value')] = 2;
    x[FEATURE_COUNT + featureIndex('sleep_quality_value')] = -1;
    const p = additivePredict('readiness', MEDIAN, next, x, 2);
    const today = 5;
    expect(Math.abs(p[1]! - today)).toBeLessThan(0.1);
    expect(p[0]! - p[1]!).toBeGreaterThan(0.8);
    const slot = slotOf(layout, featureIndex('sleep_quality_value'), x, 0);
    expect(next[slot]).not.toBe(0);
  });

  it('fits a skewed signal with a lower absolute error than the sign step in the same rounds', () => {
    const train = days(3000, 3);
    const test = days(1000, 4);
    const mae = (s: ModelSettings) => {
      const settings = { ...s, learningRate: 0.3 };
      const p = additivePredict('readiness', settings, fitAdditive('readiness', settings, initialAdditive(), train, 5), test.x, test.n);
      return Array.from(test.y, (y, i) => Math.abs(y - p[i]!)).reduce((t, v) => t + v, 0) / test.n;
    };
    expect(mae(MEDIAN)).toBeLessThan(mae(SIGN) - 0.02);
  });

  it('applies to the absolute loss only: other losses keep the [G, H] contribution and the Newton step', () => {
    const squared = modelSettingsSchema.parse({ ...MEDIAN, loss: 'squared' });
    const train = days(50, 5);
    expect(additiveContribution('readiness', squared, initialAdditive(), train).vector.length).toBe(2 * additiveLayout().size);
    expect(additiveContribution('readiness', SIGN, initialAdditive(), train).vector.length).toBe(2 * additiveLayout().size);
  });
});
