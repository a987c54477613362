import { describe, expect, it } from 'vitest';
import { Prng } from '@huddle/shared/random';
import { applyBins, fitBinEdges } from '../src/baselines/gbdt/binning.ts';
import { fitGbdt, predictGbdt, DEFAULT_GBDT_PARAMS } from '../src/baselines/gbdt/boost.ts';
import { compare } from '../src/sim/comparisons.ts';

/** y = 3 if x0 > 0.5 else 0, plus 2 x1, plus noise; x2 is pure noise. */
function data(n: number, seed: number, noise: (p: Prng) => number) {
  const prng = new Prng(seed);
  const x = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < 3; f++) x[i * 3 + f] = prng.next();
    y[i] = (x[i * 3]! > 0.5 ? 3 : 0) + 2 * x[i * 3 + 1]! + noise(prng);
  }
  return { x, y, rows: n };
}

const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

describe('histogram binning', () => {
  it('gives one bin per distinct value when there are few, quantile bins otherwise', () => {
    const x = [0, 1, 1, 2, 2, 2];
    const edges = fitBinEdges(x, 6, 1, 8);
    expect(Array.from(edges[0]!)).toEqual([0.5, 1.5]);
    expect(Array.from(applyBins(x, 6, edges).bins)).toEqual([0, 1, 1, 2, 2, 2]);
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const e = fitBinEdges(many, 1000, 1, 10)[0]!;
    expect(e.length).toBe(9);
    const counts = new Array<number>(10).fill(0);
    for (const b of applyBins(many, 1000, [e]).bins) counts[b]!++;
    for (const c of counts) expect(Math.abs(c - 100)).toBeLessThanOrEqual(1);
  });
});

describe('gradient-boosted trees', () => {
  it('learns a step and a slope with the squared loss (test RMSE near the noise level)', () => {
    const train = data(3000, 1, (p) => p.normal(0, 0.3));
    const test = data(1000, 2, (p) => p.normal(0, 0.3));
    const r = fitGbdt(train, 3, { ...DEFAULT_GBDT_PARAMS, loss: 'squared' }, data(1000, 3, (p) => p.normal(0, 0.3)));
    const pred = predictGbdt(r.model, test.x, test.rows);
    const rmse = Math.sqrt(mean(pred.map((v, i) => (v - test.y[i]!) ** 2)));
    expect(rmse).toBeLessThan(0.4);
    // A constant (the mean) would be about 1.7.
    const mu = mean(train.y);
    expect(Math.sqrt(mean(test.y.map((v) => (v - mu) ** 2)))).toBeGreaterThan(1.4);
  });

  it('fits the median with the absolute loss, unmoved by rare huge outliers', () => {
    const outliers = (p: Prng): number => (p.next() < 0.1 ? 100 : p.normal(0, 0.1));
    const train = data(3000, 4, outliers);
    const test = data(1000, 5, (p) => p.normal(0, 0.1));
    const abs = predictGbdt(fitGbdt(train, 3, { ...DEFAULT_GBDT_PARAMS, loss: 'absolute' }).model, test.x, test.rows);
    const sq = predictGbdt(fitGbdt(train, 3, { ...DEFAULT_GBDT_PARAMS, loss: 'squared' }).model, test.x, test.rows);
    const maeOf = (p: Float64Array): number => mean(p.map((v, i) => Math.abs(v - test.y[i]!)));
    expect(maeOf(abs)).toBeLessThan(0.3);
    expect(maeOf(sq)).toBeGreaterThan(5);
  });

  it('gives calibrated probabilities with the logistic loss', () => {
    const prng = new Prng(6);
    const n = 6000;
    const x = Float64Array.from({ length: n }, () => prng.next());
    const y = Float64Array.from(x, (v) => (prng.next() < (v > 0.5 ? 0.8 : 0.1) ? 1 : 0));
    const r = fitGbdt({ x, y, rows: n }, 1, { ...DEFAULT_GBDT_PARAMS, loss: 'logistic', maxIterations: 60 });
    const p = predictGbdt(r.model, [0.25, 0.75], 2);
    expect(p[0]).toBeGreaterThan(0.05);
    expect(p[0]).toBeLessThan(0.15);
    expect(p[1]).toBeGreaterThan(0.74);
    expect(p[1]).toBeLessThan(0.86);
  });

  it('stops early on validation data when the target is pure noise', () => {
    const noise = (seed: number) => {
      const d = data(2000, seed, (p) => p.normal(0, 1));
      return { ...d, y: d.y.map((_, i) => new Prng(seed * 10_000 + i).normal(0, 1)) };
    };
    const r = fitGbdt(noise(7), 3, { ...DEFAULT_GBDT_PARAMS, loss: 'squared' }, noise(8));
    expect(r.iterations).toBeLessThan(15);
    expect(r.model.trees.length).toBe(r.iterations);
  });
});

describe('paired comparisons', () => {
  it('read the interval in the direction of the metric', () => {
    const d = {
      estimates: { a: { mae: 1, auc: 0.7 }, b: { mae: 1.2, auc: 0.6 } },
      draws: { a: { mae: Float64Array.from([1, 1.1, 0.9]), auc: Float64Array.from([0.7, 0.72, 0.68]) }, b: { mae: Float64Array.from([1.2, 1.3, 1.1]), auc: Float64Array.from([0.6, 0.75, 0.5]) } },
    };
    const [mae, auc] = compare([{ method: 'a', reference: 'b', metric: 'mae' }, { method: 'a', reference: 'b', metric: 'auc' }], d);
    expect(mae!.verdict).toBe('better');
    expect(mae!.difference).toBeCloseTo(-0.2, 12);
    expect(auc!.verdict).toBe('inconclusive');
    const [worse] = compare([{ method: 'b', reference: 'a', metric: 'mae' }], d);
    expect(worse!.verdict).toBe('worse');
  });
});
