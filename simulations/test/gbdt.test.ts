import { describe, expect, it } from 'vitest';
import { Prng } from '@huddle/shared/random';
import { applyBins, fitBinEdges } from '../src/baselines/gbdt/binning.ts';
import { fitGbdt, predictGbdt, DEFAULT_GBDT_PARAMS } from '../src/baselines/gbdt/boost.ts';
import { growTree, type Tree } from '../src/baselines/gbdt/tree.ts';
import { pooledGbdt } from '../src/baselines/gbdt/pooled.ts';
import { FEATURE_COUNT } from '@huddle/shared/features';
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

describe('leaf-wise trees', () => {
  const leaves = (t: Tree): number => Array.from(t.feature).filter((f) => f < 0).length;
  const depth = (t: Tree, node = 0): number => (t.feature[node]! < 0 ? 0 : 1 + Math.max(depth(t, t.left[node]!), depth(t, t.right[node]!)));

  it('stop at maxLeafNodes leaves, each with at least minSamplesLeaf rows, and split the best gain first', () => {
    const n = 2000;
    const prng = new Prng(11);
    const x = Float64Array.from({ length: n * 2 }, () => prng.next());
    // Only x0 matters, as 8 steps each 4 times the last: the top step always gains most, so best-first peels it off.
    const y = Float64Array.from({ length: n }, (_, i) => 4 ** Math.floor(x[i * 2]! * 8) + prng.normal(0, 0.1));
    const m = applyBins(x, n, fitBinEdges(x, n, 2, 64));
    const g = Float64Array.from(y, (v) => -v);
    const h = new Float64Array(n).fill(1);
    const all = Int32Array.from({ length: n }, (_, i) => i);
    for (const [maxLeafNodes, minSamplesLeaf] of [[5, 20], [31, 20], [31, 150]] as const) {
      const { tree, leafRows } = growTree(m, [64, 64], all, g, h, { maxLeafNodes, maxDepth: Infinity, minSamplesLeaf, l2: 0 });
      expect(leaves(tree)).toBe(leafRows.size);
      expect(leafRows.size).toBeLessThanOrEqual(maxLeafNodes);
      expect(Array.from(leafRows.values()).reduce((s, r) => s + r.length, 0)).toBe(n);
      for (const rows of leafRows.values()) expect(rows.length).toBeGreaterThanOrEqual(minSamplesLeaf);
    }
    expect(growTree(m, [64, 64], all, g, h, { maxLeafNodes: 5, maxDepth: Infinity, minSamplesLeaf: 20, l2: 0 }).leafRows.size).toBe(5);
    // With 150 rows per leaf at least, 2000 rows allow at most 13 leaves.
    expect(growTree(m, [64, 64], all, g, h, { maxLeafNodes: 31, maxDepth: Infinity, minSamplesLeaf: 150, l2: 0 }).leafRows.size).toBeLessThanOrEqual(13);
    // Unbalanced: a chain, deeper than a level-wise tree with as many leaves (3).
    const deep = growTree(m, [64, 64], all, g, h, { maxLeafNodes: 8, maxDepth: Infinity, minSamplesLeaf: 20, l2: 0 }).tree;
    expect(depth(deep)).toBeGreaterThan(3);
    expect(depth(growTree(m, [64, 64], all, g, h, { maxLeafNodes: 8, maxDepth: 2, minSamplesLeaf: 20, l2: 0 }).tree)).toBe(2);
    for (const f of deep.feature) expect(f).toBeLessThan(1);
  });

  it('recover an interaction that no additive model can (y = 2 when x0 > 0.5 and x1 > 0.5)', () => {
    const make = (n: number, seed: number) => {
      const prng = new Prng(seed);
      const x = Float64Array.from({ length: n * 3 }, () => prng.next());
      const y = Float64Array.from({ length: n }, (_, i) => (x[i * 3]! > 0.5 && x[i * 3 + 1]! > 0.5 ? 2 : 0) + prng.normal(0, 0.2));
      return { x, y, rows: n };
    };
    const test = make(1000, 13);
    const r = fitGbdt(make(3000, 12), 3, { ...DEFAULT_GBDT_PARAMS, loss: 'squared' }, make(1000, 14));
    const pred = predictGbdt(r.model, test.x, test.rows);
    // The best additive fit of this target leaves an RMSE near 0.5; the interaction fits to the noise (0.2).
    expect(Math.sqrt(mean(pred.map((v, i) => (v - test.y[i]!) ** 2)))).toBeLessThan(0.3);
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
    // Small trees: without validation data to stop early, 31 leaves on one feature fit the noise of single bins.
    const r = fitGbdt({ x, y, rows: n }, 1, { ...DEFAULT_GBDT_PARAMS, loss: 'logistic', maxIterations: 60, maxLeafNodes: 4 });
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

describe('the pooled reference', () => {
  it('refits on all training days: a regime seen only on the validation days still reaches the test days', () => {
    // Feature 0 marks the regime; the label is 0 before it and 5 once it starts (the last 20% of training days and the test days).
    const examples = (n: number, from: number, regimeFrom: number, seed: number) => {
      const prng = new Prng(seed);
      const x = new Float32Array(n * FEATURE_COUNT);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const on = from + i >= regimeFrom ? 1 : 0;
        x[i * FEATURE_COUNT] = on;
        x[i * FEATURE_COUNT + 1] = prng.next();
        y[i] = 5 * on + prng.normal(0, 0.1);
      }
      return { x, y, n, days: Array.from({ length: n }, (_, i) => from + i) };
    };
    const athletes = [1, 2, 3, 4].map((seed) => ({ train: examples(500, 0, 400, seed), test: examples(50, 500, 0, seed + 10) }));
    const r = pooledGbdt(athletes, 'squared');
    // Fit on the first days only, every prediction would be near 0. Refit with the few trees validation allows
    // (nothing learnable before the regime), the pooled mean (1) and the first tree move it up.
    expect(r.chosen.iterations).toBeLessThan(5);
    for (const p of r.predictions) expect(mean(p)).toBeGreaterThan(1);
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
