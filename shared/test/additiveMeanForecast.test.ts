import { randomDays } from './helpers/randomDays.ts';
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, featureIndex } from '../src/features/index.ts';
import { additiveContribution, additiveLayout, additiveMeanPredict, additivePredict, applyAdditiveAggregate, fitAdditive, initialAdditive, meanCorrectionRate, modelFamily, modelSpec, parameterCount, personalizeAdditive, resumeAdditive, summarizePredictions, type ModelSettings, type TrainingData } from '../src/model/index.ts';
import { DEFAULT_MODEL_SETTINGS } from '../src/protocol/index.ts';
import { Prng } from '../src/random/index.ts';

const MEDIAN: ModelSettings = { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 0.3, l2: 0.01, monotone: true, smoothing: 0.5, averaging: 0.5, pairTerms: true, step: 'median' };
const BOTH: ModelSettings = { ...MEDIAN, meanForecast: true };
const { step: _step, ...rest } = MEDIAN;
const SQUARED: ModelSettings = { ...rest, loss: 'squared' };
const LOAD = featureIndex('load_today');
const RV = featureIndex('readiness_value');

/** Tomorrow = today + a load effect + right-skewed noise (exponential minus 0.3): the mean sits above the median. */
function days(n: number, seed: number, shift = 0): TrainingData {
  return randomDays(n, seed, (rng, x, at) => {
    const today = Math.round(rng.uniform(2, 8));
    x[at + RV] = (today - 5) / 2.5;
    x[at + LOAD] = rng.uniform(0, 2);
    return today - 0.5 * x[at + LOAD]! - 0.3 - Math.log(1 - rng.uniform(0, 1)) + shift;
  });
}

function errors(predicted: ArrayLike<number>, d: TrainingData): { mae: number; rmse: number } {
  let a = 0;
  let q = 0;
  for (let r = 0; r < d.n; r++) {
    const e = predicted[r]! - d.y[r]!;
    a += Math.abs(e);
    q += e * e;
  }
  return { mae: a / d.n, rmse: Math.sqrt(q / d.n) };
}

describe('the mean forecast of the additive model', () => {
  const { size } = additiveLayout();
  const train = days(3000, 1);
  const held = days(1500, 2);

  it('leaves the median model as it was, and its correction learns what the squared loss adds', () => {
    const both = fitAdditive('readiness', BOTH, initialAdditive(BOTH), train, 12);
    const median = fitAdditive('readiness', MEDIAN, initialAdditive(MEDIAN), train, 12);
    expect(both.length).toBe(4 * size);
    expect(median.length).toBe(2 * size);
    expect(Array.from(both.subarray(0, 2 * size))).toEqual(Array.from(median));
    // The skewed noise puts the mean above the median: the correction's intercept is positive.
    expect(both[2 * size]!).toBeGreaterThan(0.1);
  });

  it('cannot diverge where a squared-loss model at the task rate does: every feature a copy of one, a few days', () => {
    const rng = new Prng(5);
    const n = 40;
    const x = new Float32Array(n * FEATURE_COUNT);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const v = rng.uniform(-1, 1);
      x.fill(v, r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
      x[r * FEATURE_COUNT + RV] = 0;
      y[r] = 5 + 2 * v + (rng.uniform(0, 1) < 0.1 ? 3 : 0);
    }
    const few: TrainingData = { x, y, n };
    const defaults = DEFAULT_MODEL_SETTINGS.readiness;
    const { step: _s, meanForecast: _m, ...squaredDefaults } = defaults;
    const squared = fitAdditive('readiness', { ...squaredDefaults, loss: 'squared' }, initialAdditive(), few, 30);
    expect(errors(additivePredict('readiness', defaults, squared, few.x, n), few).rmse).toBeGreaterThan(100);
    expect(meanCorrectionRate(defaults)).toBeLessThan(2 / FEATURE_COUNT);
    const rmse = (steps: number) => {
      const params = fitAdditive('readiness', defaults, initialAdditive(defaults), few, steps);
      return { point: errors(additivePredict('readiness', defaults, params, few.x, n), few).rmse, mean: errors(additiveMeanPredict('readiness', defaults, params, few.x, n)!, few).rmse };
    };
    const at30 = rmse(30);
    const at300 = rmse(300);
    expect(at30.mean).toBeLessThan(at30.point);
    expect(at300.mean).toBeLessThan(at30.mean);
  });

  it('scores better on squared error and the median better on absolute error, on skewed residuals', () => {
    const params = fitAdditive('readiness', BOTH, initialAdditive(BOTH), train, 30);
    const point = errors(additivePredict('readiness', BOTH, params, held.x, held.n), held);
    const mean = errors(additiveMeanPredict('readiness', BOTH, params, held.x, held.n)!, held);
    expect(mean.rmse).toBeLessThan(point.rmse - 0.02);
    expect(point.mae).toBeLessThan(mean.mae - 0.02);
    expect(additiveMeanPredict('readiness', MEDIAN, params.subarray(0, 2 * size), held.x, held.n)).toBeNull();
  });

  it('adds one row to the contribution, the squared-loss gradient of the mean forecast at the iterates', () => {
    const params = fitAdditive('readiness', BOTH, initialAdditive(BOTH), train, 3);
    const c = additiveContribution('readiness', BOTH, params, train);
    const family = modelFamily('additive');
    const spec = modelSpec('readiness', FEATURE_COUNT);
    expect(c.vector.length).toBe(parameterCount(family.contributionManifest(spec, BOTH)));
    expect(c.vector.length).toBe(5 * size);
    expect(parameterCount(family.manifest(spec, BOTH))).toBe(4 * size);
    // The intercept's gradient: the mean of (mean forecast - label), taken at the iterates (not the served models).
    const atIterate = Float32Array.from(params);
    atIterate.copyWithin(0, size, 2 * size);
    atIterate.copyWithin(2 * size, 3 * size, 4 * size);
    const iterateMean = additiveMeanPredict('readiness', BOTH, atIterate, train.x, train.n)!;
    let g = 0;
    for (let r = 0; r < train.n; r++) g += iterateMean[r]! - train.y[r]!;
    expect(c.vector[4 * size]).toBeCloseTo(g / train.n, 4);
    expect(() => applyAdditiveAggregate('readiness', BOTH, params, c.vector.subarray(0, 4 * size))).toThrow(/aggregate has/);
  });

  it('resumes a checkpoint saved without it (the correction starts at 0: mean = median), and back', () => {
    const median = fitAdditive('readiness', MEDIAN, initialAdditive(MEDIAN), train, 5);
    const resumed = resumeAdditive(median, BOTH);
    expect(resumed.length).toBe(4 * size);
    expect(Array.from(resumed.subarray(0, 2 * size))).toEqual(Array.from(median));
    expect(resumed.subarray(2 * size).every((v) => v === 0)).toBe(true);
    expect(Array.from(additiveMeanPredict('readiness', BOTH, resumed, held.x, 5)!)).toEqual(Array.from(additivePredict('readiness', MEDIAN, median, held.x, 5)));
    const back = resumeAdditive(resumed, MEDIAN);
    expect(Array.from(back)).toEqual(Array.from(median));
  });

  it("personalizes by the athlete's own shrunk mean residual, and squared error scores it", () => {
    const params = fitAdditive('readiness', BOTH, initialAdditive(BOTH), train, 30);
    const own = days(400, 3, 1.5);
    const personal = personalizeAdditive('readiness', BOTH, params, own);
    const meanBefore = additiveMeanPredict('readiness', BOTH, params, own.x, own.n)!;
    const meanAfter = additiveMeanPredict('readiness', BOTH, personal, own.x, own.n)!;
    let residual = 0;
    for (let r = 0; r < own.n; r++) residual += own.y[r]! - meanBefore[r]!;
    expect(meanAfter[0]! - meanBefore[0]!).toBeCloseTo((residual / own.n) * (own.n / (own.n + 30)), 4);
    const spec = modelSpec('readiness', FEATURE_COUNT);
    const point = additivePredict('readiness', BOTH, personal, own.x, own.n);
    const summary = summarizePredictions(spec, point, own.y, meanAfter).summary;
    if (summary.kind !== 'regression') throw new Error('expected a regression summary');
    expect(summary.sumAbsError / own.n).toBeCloseTo(errors(point, own).mae, 4);
    expect(Math.sqrt(summary.sumSquaredError / own.n)).toBeCloseTo(errors(meanAfter, own).rmse, 4);
  });

  it('is the readiness default, and ignored by every other loss', () => {
    expect(DEFAULT_MODEL_SETTINGS.readiness.meanForecast).toBe(true);
    expect(initialAdditive({ ...SQUARED, meanForecast: true }).length).toBe(2 * size);
    expect(initialAdditive(DEFAULT_MODEL_SETTINGS.injury).length).toBe(2 * size);
  });
});
