import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeFeatureValue, explainPrediction, inputGradient, integratedGradients, meanFeatureVector, predictOne, readFeature, topAttributions } from '@huddle/shared/explain';
import { FEATURE_COUNT, FEATURE_NAMES, featureIndex } from '@huddle/shared/features';
import { buildTfModel, initialWeights, modelSpec, parameterCount, predictBatch, setFlatWeights, weightManifest, type ModelSpec } from '@huddle/shared/model';
import { Prng } from '@huddle/shared/random';

function randomInput(rng: Prng, n: number, scale = 1.5): Float64Array {
  return Float64Array.from({ length: n }, () => rng.uniform(-scale, scale));
}

/** Weights with non-zero biases, so relu units switch along the path. */
function randomWeights(spec: ModelSpec, seed: number): Float32Array {
  const w = initialWeights(spec, seed);
  const rng = new Prng(seed + 1);
  let offset = 0;
  for (const entry of weightManifest(spec)) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.shape.length === 1) for (let i = 0; i < size; i++) w[offset + i] = rng.uniform(-0.3, 0.3);
    offset += size;
  }
  return w;
}

function tfGradient(spec: ModelSpec, weights: Float32Array, point: Float32Array): Float32Array {
  const model = buildTfModel(spec);
  setFlatWeights(model, spec, weights);
  const grad = tf.grad((input: tf.Tensor) => tf.mul(tf.sum(model.apply(input) as tf.Tensor), spec.labelScale));
  const out = tf.tidy(() => Float32Array.from(grad(tf.tensor2d(point, [1, spec.inputSize])).dataSync()));
  model.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('integrated gradients on the dense networks', () => {
  it('is exact on a linear model: attribution_i = w_i * labelScale * (x_i - baseline_i)', () => {
    const spec: ModelSpec = { task: 'readiness', inputSize: 3, layers: [{ units: 1, activation: 'linear' }], loss: 'meanSquaredError', labelScale: 10 };
    const weights = Float32Array.of(0.5, -0.25, 2, 0.1); // kernel [3,1], bias
    const x = [1, 2, -1];
    const baseline = [0.5, 0, 1];
    const r = integratedGradients(spec, weights, x, { baseline, steps: 4 });
    // By hand: 0.5*10*0.5 = 2.5; -0.25*10*2 = -5; 2*10*(-2) = -40.
    expect(Array.from(r.attributions)).toEqual([2.5, -5, -40]);
    expect(r.prediction).toBeCloseTo(10 * (0.5 - 0.5 - 2 + 0.1), 6);
    expect(r.baselinePrediction).toBeCloseTo(10 * (0.25 + 0 + 2 + 0.1), 6);
    expect(r.completenessGap).toBeCloseTo(0, 9);
    expect(topAttributions(r.attributions, 2).map((a) => a.index)).toEqual([2, 1]);
  });

  it('matches tfjs predictions and tfjs autodiff gradients', () => {
    for (const task of ['injury', 'readiness'] as const) {
      const spec = modelSpec(task, FEATURE_COUNT);
      const weights = randomWeights(spec, 3);
      const rng = new Prng(9);
      const n = 16;
      const x = new Float32Array(n * FEATURE_COUNT);
      for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-2, 2);
      const model = buildTfModel(spec);
      setFlatWeights(model, spec, weights);
      const expected = predictBatch(model, spec, x, n);
      model.dispose();
      for (let r = 0; r < n; r++) expect(predictOne(spec, weights, x.subarray(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT))).toBeCloseTo(expected[r]!, 4);

      const point = randomInput(rng, FEATURE_COUNT);
      const { output, gradient } = inputGradient(spec, weights, point);
      expect(output).toBe(predictOne(spec, weights, point));
      // The reference gradient is tfjs's autodiff on the same float32 point (a float64 finite difference means nothing
      // at float32 precision; both sides here are float32, so a few ulps apart).
      const reference = tfGradient(spec, weights, Float32Array.from(point));
      for (let i = 0; i < FEATURE_COUNT; i++) expect(gradient[i]!).toBeCloseTo(reference[i]!, 5);
    }
  });

  it('satisfies completeness: attributions sum to prediction - baseline prediction (1e-3 relative with enough steps)', () => {
    for (const task of ['injury', 'readiness'] as const) {
      const spec = modelSpec(task, FEATURE_COUNT);
      for (let seed = 1; seed <= 5; seed++) {
        const weights = randomWeights(spec, seed * 7);
        const rng = new Prng(seed);
        const x = randomInput(rng, FEATURE_COUNT);
        const baseline = randomInput(rng, FEATURE_COUNT, 0.5);
        const coarse = integratedGradients(spec, weights, x, { baseline, steps: 64 });
        const fine = integratedGradients(spec, weights, x, { baseline, steps: 4096 });
        const delta = fine.prediction - fine.baselinePrediction;
        expect(Math.abs(delta)).toBeGreaterThan(1e-4);
        const sum = fine.attributions.reduce((a, b) => a + b, 0);
        expect(Math.abs(sum - delta) / Math.abs(delta)).toBeLessThan(1e-3);
        expect(Math.abs(fine.completenessGap)).toBeLessThanOrEqual(Math.abs(coarse.completenessGap) + 1e-9);
        // At the default 64 steps the explanation is already within a few percent of the prediction change.
        expect(Math.abs(coarse.completenessGap) / Math.abs(delta)).toBeLessThan(0.05);
      }
    }
  });

  it('is smooth-exact to quadrature order on a sigmoid network (trapezoid error falls ~4x per doubling)', () => {
    const spec: ModelSpec = { task: 'injury', inputSize: 5, layers: [{ units: 6, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'binaryCrossentropy', labelScale: 1 };
    const rng = new Prng(4);
    const weights = Float32Array.from({ length: parameterCount(weightManifest(spec)) }, () => rng.uniform(-2, 2));
    const x = randomInput(rng, 5, 2);
    const e16 = Math.abs(integratedGradients(spec, weights, x, { steps: 16 }).completenessGap);
    const e32 = Math.abs(integratedGradients(spec, weights, x, { steps: 32 }).completenessGap);
    expect(e32).toBeLessThan(e16 / 3);
    expect(Math.abs(integratedGradients(spec, weights, x, { steps: 64 }).completenessGap)).toBeLessThan(1e-4);
  });

  it('rejects mismatched sizes', () => {
    const spec = modelSpec('injury', 4);
    expect(() => integratedGradients(spec, new Float32Array(3), [0, 0, 0, 0])).toThrow(RangeError);
    const w = initialWeights(spec, 1);
    expect(() => integratedGradients(spec, w, [0, 0, 0])).toThrow(RangeError);
    expect(() => integratedGradients(spec, w, [0, 0, 0, 0], { steps: 0 })).toThrow(RangeError);
  });

  it('means rows into a typical day', () => {
    expect(Array.from(meanFeatureVector(Float32Array.of(1, 2, 3, 4, 5, 6), 2))).toEqual([3, 4]);
    expect(Array.from(meanFeatureVector(Float32Array.of(1, 2, 3, 4, 5, 6), 2, [0, 2]))).toEqual([3, 4]);
  });
});

describe('factors in the athlete’s terms', () => {
  const day = (values: Partial<Record<(typeof FEATURE_NAMES)[number], number>>) => {
    const x = new Float32Array(FEATURE_COUNT);
    for (const [k, v] of Object.entries(values)) x[featureIndex(k)] = v;
    return x;
  };

  it('reads scaled features back in plain words', () => {
    const x = day({ load_acwr_7_28: 0.8, fatigue_value: -1, fatigue_z: -1.7, sleep_hours_value: -0.5, hrv_missing: 1, load_today: 0.5, no_injury_logged: 1, days_since_injury: 1 });
    expect(describeFeatureValue('load_acwr_7_28', x)).toBe('Last 7 days of load vs your 4-week average: 40% above');
    expect(readFeature('fatigue_value', x)).toBe('2 of 5 (5 = fresh)');
    expect(readFeature('fatigue_z', x)).toBe('much more tired than usual');
    expect(readFeature('sleep_hours_value', x)).toBe('7 h');
    expect(readFeature('hrv_ln_delta', x)).toBe('not measured today');
    expect(readFeature('load_today', x)).toBe('500 AU (RPE x minutes)');
    expect(readFeature('days_since_injury', x)).toBe('no injury in your log');
    expect(readFeature('load_ewma_ratio', day({ load_ewma_ratio: -0.5 }))).toBe('25% below');
    expect(readFeature('load_ewma_ratio', day({ load_ewma_ratio: 3 }))).toBe('at least 150% above');
    expect(readFeature('rhr_delta', day({ rhr_delta: 0.6 }))).toBe('3 bpm above your last week');
  });

  it('explains a prediction with the top factors by |attribution|', () => {
    const spec = modelSpec('injury', FEATURE_COUNT);
    const weights = randomWeights(spec, 11);
    const x = day({ load_acwr_7_28: 2, soreness_z: -2, sleep_hours_value: -1 });
    const e = explainPrediction(spec, weights, x, { top: 3 });
    expect(e.factors).toHaveLength(3);
    const mags = e.factors.map((f) => Math.abs(f.attribution));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    const max = Math.max(...Array.from(e.attributions, Math.abs));
    expect(mags[0]).toBeCloseTo(max, 12);
    for (const f of e.factors) {
      expect(f.label.length).toBeGreaterThan(5);
      expect(f.reading.length).toBeGreaterThan(0);
    }
  });
});
