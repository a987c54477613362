import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, featureIndex, monotoneDirections } from '../src/features/index.ts';
import {
  additiveContribution, additiveLayout, additivePredict, applyAdditiveAggregate, fitAdditive, initialAdditive, isotonicInPlace, slotOf,
  type ModelSettings, type TrainingData,
} from '../src/model/index.ts';
import { Prng } from '../src/random/index.ts';

const READINESS: ModelSettings = { kind: 'additive', target: 'change', loss: 'squared', huberDelta: 1, learningRate: 0.5, l2: 0.001, monotone: true };

/** Days with random features; readiness tomorrow = today + 0.8 x (sleep quality - 3) - 0.5 x (today - 5) + noise. */
function days(n: number, seed: number): TrainingData {
  const rng = new Prng(seed);
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Float32Array(n);
  const rv = featureIndex('readiness_value');
  const sq = featureIndex('sleep_quality_value');
  const hm = featureIndex('hrv_missing');
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < FEATURE_COUNT; j++) x[r * FEATURE_COUNT + j] = rng.uniform(-1, 1);
    const today = Math.round(rng.uniform(2, 9));
    const sleep = Math.round(rng.uniform(1, 5));
    x[r * FEATURE_COUNT + rv] = (today - 5) / 2.5;
    x[r * FEATURE_COUNT + sq] = sleep - 3;
    x[r * FEATURE_COUNT + hm] = rng.uniform(0, 1) < 0.3 ? 1 : 0;
    y[r] = today + 0.8 * (sleep - 3) - 0.5 * (today - 5) + rng.uniform(-0.3, 0.3);
  }
  return { x, y, n };
}

describe('isotonic projection (pool adjacent violators)', () => {
  it('returns the closest monotone sequence and keeps the weighted sum', () => {
    const v = Float64Array.from([9, 1, 3, 2, 5, 4]);
    const w = [1, 1, 2, 1, 1]; // weights of values[1..6)
    isotonicInPlace(v, w, 1, 5, 1);
    expect(v[0]).toBe(9); // outside the range: untouched
    expect(Array.from(v.subarray(1))).toEqual([1, 7 / 3, 7 / 3, 4.5, 4.5]); // 3 (w 1) and 2 (w 2) pool to 7/3
    const d = Float64Array.from([1, 2, 3]);
    isotonicInPlace(d, [1, 1, 1], 0, 3, -1);
    expect(Array.from(d)).toEqual([2, 2, 2]);
  });
});

describe('boosted additive model', () => {
  const layout = additiveLayout();

  it('routes a missing optional measurement to its own slot and never models the flag', () => {
    const x = new Float32Array(FEATURE_COUNT);
    const hrv = featureIndex('hrv_ln_delta');
    x[hrv] = 1.2;
    expect(slotOf(layout, hrv, x, 0)).toBeGreaterThan(layout.offset[hrv]!);
    x[featureIndex('hrv_missing')] = 1;
    expect(slotOf(layout, hrv, x, 0)).toBe(layout.offset[hrv]);
    expect(layout.absorbed[featureIndex('hrv_missing')]).toBe(1);
  });

  it("the example-weighted mean of clients' contributions is the pooled contribution (the exact global Newton step)", () => {
    const a = days(40, 1);
    const b = days(90, 2);
    const pooled: TrainingData = { x: new Float32Array([...a.x, ...b.x]), y: new Float32Array([...a.y, ...b.y]), n: 130 };
    const params = fitAdditive('readiness', READINESS, initialAdditive(), a, 2);
    const ca = additiveContribution('readiness', READINESS, params, a);
    const cb = additiveContribution('readiness', READINESS, params, b);
    const cp = additiveContribution('readiness', READINESS, params, pooled);
    expect(ca.weight).toBe(40);
    let maxDiff = 0;
    for (let i = 0; i < cp.vector.length; i++) maxDiff = Math.max(maxDiff, Math.abs((40 * ca.vector[i]! + 90 * cb.vector[i]!) / 130 - cp.vector[i]!));
    expect(maxDiff).toBeLessThan(1e-6);
    const fromMean = applyAdditiveAggregate('readiness', READINESS, params, cp.vector);
    expect(fromMean.length).toBe(params.length);
  });

  it('learns the change from today, beats persistence, and keeps constrained shape functions monotone', () => {
    const train = days(3000, 3);
    const test = days(1000, 4);
    const params = fitAdditive('readiness', READINESS, initialAdditive(), train, 30);
    const predicted = additivePredict('readiness', READINESS, params, test.x, test.n);
    const mae = (p: ArrayLike<number>) => Array.from(test.y, (y, i) => Math.abs(y - p[i]!)).reduce((s, v) => s + v, 0) / test.n;
    const persistence = Array.from({ length: test.n }, (_, i) => 5 + 2.5 * test.x[i * FEATURE_COUNT + featureIndex('readiness_value')]!);
    expect(mae(predicted)).toBeLessThan(0.5 * mae(persistence));
    const directions = monotoneDirections('readiness');
    for (let j = 0; j < FEATURE_COUNT; j++) {
      if (directions[j] !== 1) continue;
      const from = layout.offset[j]! + 1;
      for (let s = from + 1; s < layout.offset[j]! + layout.bins[j]!; s++) expect(params[s]!).toBeGreaterThanOrEqual(params[s - 1]! - 1e-6);
    }
  });

  it('without the constraint, a reversed relation is learned as it is; with it, the shape is flattened, not reversed', () => {
    const train = days(3000, 5);
    const sq = featureIndex('sleep_quality_value');
    for (let r = 0; r < train.n; r++) train.y[r] = train.y[r]! - 1.6 * train.x[r * FEATURE_COUNT + sq]!; // worse sleep -> higher readiness
    const free = fitAdditive('readiness', { ...READINESS, monotone: false }, initialAdditive(), train, 20);
    const constrained = fitAdditive('readiness', READINESS, initialAdditive(), train, 20);
    const lowBin = slotOf(layout, sq, Float32Array.from({ length: FEATURE_COUNT }, (_, j) => (j === sq ? -2 : 0)), 0);
    const highBin = slotOf(layout, sq, Float32Array.from({ length: FEATURE_COUNT }, (_, j) => (j === sq ? 2 : 0)), 0);
    expect(free[highBin]! - free[lowBin]!).toBeLessThan(-0.5);
    expect(constrained[highBin]! - constrained[lowBin]!).toBeGreaterThanOrEqual(-1e-6);
  });

  it('injury: logistic loss gives probabilities whose ranking follows the signal', () => {
    const rng = new Prng(9);
    const n = 4000;
    const x = new Float32Array(n * FEATURE_COUNT);
    const y = new Float32Array(n);
    const acwr = featureIndex('load_acwr_7_28');
    for (let r = 0; r < n; r++) {
      const v = rng.uniform(-2, 3);
      x[r * FEATURE_COUNT + acwr] = v;
      y[r] = rng.uniform(0, 1) < 1 / (1 + Math.exp(-(v - 2))) ? 1 : 0;
    }
    const settings: ModelSettings = { kind: 'additive', target: 'level', loss: 'logistic', huberDelta: 1, learningRate: 0.3, l2: 0.01, monotone: true };
    const params = fitAdditive('injury', settings, initialAdditive(), { x, y, n }, 30);
    const at = (v: number) => additivePredict('injury', settings, params, Float32Array.from({ length: FEATURE_COUNT }, (_, j) => (j === acwr ? v : 0)), 1)[0]!;
    expect(at(-1)).toBeLessThan(at(1));
    expect(at(1)).toBeLessThan(at(2.8));
    expect(at(-1)).toBeGreaterThan(0);
    expect(at(2.8)).toBeLessThan(1);
  });

  it('averaging: clients step the iterate, the served model is its moving average, and both stay monotone', () => {
    const train = days(2000, 6);
    const averaged: ModelSettings = { ...READINESS, averaging: 0.8 };
    const { size } = layout;
    const once = fitAdditive('readiness', averaged, initialAdditive(), train, 1);
    const latest = fitAdditive('readiness', READINESS, initialAdditive(), train, 1);
    for (let s = 0; s < size; s++) {
      expect(once[size + s]!).toBeCloseTo(latest[s]!, 5); // the iterate takes the plain step
      expect(once[s]!).toBeCloseTo(0.2 * latest[s]!, 5); // the served model moves a fifth of the way from round 0
    }
    // The next contribution is the gradient at the iterate, not at the served model.
    const atIterate = additiveContribution('readiness', averaged, once, train).vector;
    expect(Array.from(atIterate)).toEqual(Array.from(additiveContribution('readiness', READINESS, latest, train).vector));
    const params = fitAdditive('readiness', averaged, initialAdditive(), train, 20);
    const sq = featureIndex('sleep_quality_value');
    for (const half of [0, size]) {
      const from = half + layout.offset[sq]! + 1;
      for (let s = from + 1; s < half + layout.offset[sq]! + layout.bins[sq]!; s++) expect(params[s]!).toBeGreaterThanOrEqual(params[s - 1]! - 1e-6);
    }
  });

  it('without averaging a checkpoint of the older [values, mass] layout resumes exactly: the second half is never read', () => {
    const train = days(1500, 9);
    const { size } = layout;
    const trained = fitAdditive('readiness', READINESS, initialAdditive(), train, 3);
    const legacy = Float32Array.from(trained);
    for (let s = 0; s < size; s++) legacy[size + s] = 0.01 * (s % 7); // what the older layout kept there: per-bin mass
    expect(Array.from(additiveContribution('readiness', READINESS, legacy, train).vector)).toEqual(Array.from(additiveContribution('readiness', READINESS, trained, train).vector));
    const next = fitAdditive('readiness', READINESS, legacy, train, 1);
    expect(Array.from(next.subarray(0, size))).toEqual(Array.from(fitAdditive('readiness', READINESS, trained, train, 1).subarray(0, size)));
  });

  it("smoothing spreads one bin's step to its neighbours, not to the missing bin or a flag's other bin", () => {
    const { size } = layout;
    const hrv = featureIndex('hrv_ln_delta');
    const flag = featureIndex('load_missing_today');
    const mean = new Float32Array(2 * size);
    mean[size] = 1; // the intercept's hessian: the whole federation
    for (const j of [hrv, flag]) for (let b = 0; b < layout.bins[j]!; b++) mean[size + layout.offset[j]! + b] = 0.1;
    const middle = layout.offset[hrv]! + 12;
    mean[middle] = -0.05; // one bin of HRV wants to go up; no other gradient anywhere
    mean[layout.offset[flag]! + 2] = -0.05; // and the flag's "set" bin
    const settings: ModelSettings = { ...READINESS, monotone: false, learningRate: 1, l2: 0 };
    const plain = applyAdditiveAggregate('readiness', settings, initialAdditive(), mean);
    const smooth = applyAdditiveAggregate('readiness', { ...settings, smoothing: 0.5 }, initialAdditive(), mean);
    // Plain: only the bin itself rises (relative to its feature's other bins); smoothed: its neighbours share it.
    expect(plain[middle - 1]!).toBeCloseTo(plain[middle + 1]!, 6);
    expect(plain[middle]! - plain[middle + 1]!).toBeCloseTo(0.5, 5);
    expect(smooth[middle]! - smooth[middle + 2]!).toBeCloseTo(0.25, 5);
    expect(smooth[middle + 1]! - smooth[middle + 2]!).toBeCloseTo(0.125, 5);
    expect(smooth[layout.offset[hrv]!]!).toBeCloseTo(smooth[middle + 5]!, 6); // the missing bin moved like any untouched bin
    expect(smooth[layout.offset[flag]! + 2]! - smooth[layout.offset[flag]! + 1]!).toBeCloseTo(plain[layout.offset[flag]! + 2]! - plain[layout.offset[flag]! + 1]!, 6);
  });
});
