import { randomDays } from './helpers/randomDays.ts';
import { describe, expect, it } from 'vitest';
import { explainTrees } from '../src/explain/index.ts';
import { FEATURE_COUNT, featureIndex, MISSING_FLAG_OF } from '../src/features/index.ts';
import {
  additiveLayout, additivePredict, applyTreeAggregate, fitAdditive, fitTrees, initialAdditive, initialTrees, modelFamily, modelSettingsSchema, personalizeTrees,
  RecentRounds, stepRounds, targetReference, TREE_VALUE_BOUND, treeContribution, treeParameterCount, treePredict, treeProgress, treeRounds, treeScores, treeShape,
  type ModelSettings, type TrainingData,
} from '../src/model/index.ts';
import { defaultModelSettings, defaultTaskConfig } from '../src/protocol/index.ts';
import { Prng } from '../src/random/index.ts';
import { leafAt, treeStart } from '../src/model/trees/treeLayout.ts';

const TREES: ModelSettings = { kind: 'trees', target: 'change', loss: 'squared', huberDelta: 1, learningRate: 0.5, l2: 0.001, monotone: false, treeDepth: 3, treeCount: 8 };
const SLEEP = featureIndex('sleep_quality_value');
const SORENESS = featureIndex('soreness_value');
const TODAY = featureIndex('readiness_value');

/** Random days; tomorrow's readiness = today + `change(sleep, soreness)` + noise (sleep and soreness on 1-5, centred). */
function days(n: number, seed: number, change: (sleep: number, soreness: number) => number): TrainingData {
  return randomDays(n, seed, (rng, x, at) => {
    for (const flag of Object.values(MISSING_FLAG_OF)) x[at + featureIndex(flag)] = 0;
    const today = Math.round(rng.uniform(2, 9));
    const sleep = Math.round(rng.uniform(1, 5)) - 3;
    const soreness = Math.round(rng.uniform(1, 5)) - 3;
    x[at + TODAY] = (today - 5) / 2.5;
    x[at + SLEEP] = sleep;
    x[at + SORENESS] = soreness;
    return today + change(sleep, soreness) + rng.uniform(-0.3, 0.3);
  });
}

const interaction = (sleep: number, soreness: number) => (sleep > 0 && soreness > 0 ? 2 : 0) - 0.5;
const mae = (data: TrainingData, p: ArrayLike<number>) => Array.from(data.y, (y, i) => Math.abs(y - p[i]!)).reduce((s, v) => s + v, 0) / data.n;
const levels = (s: ModelSettings) => treeRounds(treeShape(s));

describe('federated boosted trees', () => {
  it("the example-weighted mean of clients' contributions is the pooled one, on every level of a tree", () => {
    const a = days(40, 1, interaction);
    const b = days(90, 2, interaction);
    const pooled: TrainingData = { x: new Float32Array([...a.x, ...b.x]), y: new Float32Array([...a.y, ...b.y]), n: 130 };
    let params = initialTrees(TREES);
    for (let level = 0; level < 5; level++) {
      const ca = treeContribution('readiness', TREES, params, a);
      const cb = treeContribution('readiness', TREES, params, b);
      const cp = treeContribution('readiness', TREES, params, pooled);
      expect([ca.weight, cb.weight]).toEqual([40, 90]);
      let maxDiff = 0;
      for (let i = 0; i < cp.vector.length; i++) maxDiff = Math.max(maxDiff, Math.abs((40 * ca.vector[i]! + 90 * cb.vector[i]!) / 130 - cp.vector[i]!));
      expect(maxDiff).toBeLessThan(1e-6);
      params = applyTreeAggregate('readiness', TREES, params, cp.vector);
    }
    expect(treeProgress(treeShape(TREES), params)).toEqual({ tree: 1, level: 2, builds: true });
  });

  it('builds a level from the mean of its rounds\' aggregates when treeLevelRounds > 1, as the coordinator keeps them', () => {
    const twice: ModelSettings = { ...TREES, treeLevelRounds: 2 };
    expect(stepRounds(twice)).toBe(2);
    expect(treeRounds(treeShape(twice))).toBe(2 * levels(TREES));
    const a = days(300, 21, interaction);
    const b = days(500, 22, interaction);
    const recent = new RecentRounds(stepRounds(twice));
    let params = initialTrees(twice);
    let oneRound = initialTrees(TREES);
    for (let level = 0; level < 4; level++) {
      const ca = treeContribution('readiness', twice, params, a).vector;
      const waited = applyTreeAggregate('readiness', twice, params, recent.add(ca));
      // The level's first round only counts: the trees and the base score are as they were.
      expect(Array.from(waited.subarray(2))).toEqual(Array.from(params.subarray(2)));
      expect(waited[0]).toBe(params[0]);
      const cb = treeContribution('readiness', twice, waited, b).vector;
      expect(Array.from(cb)).toEqual(Array.from(treeContribution('readiness', twice, params, b).vector));
      params = applyTreeAggregate('readiness', twice, waited, recent.add(cb));
      const mean = Float32Array.from(ca, (v, i) => (v + cb[i]!) / 2);
      oneRound = applyTreeAggregate('readiness', TREES, oneRound, mean);
      expect(Array.from(params.subarray(2))).toEqual(Array.from(oneRound.subarray(2)));
    }
    expect(params[1]).toBe(8);
    expect(treeProgress(treeShape(twice), params)).toEqual({ tree: 1, level: 1, builds: false });
    // Pooled, two rounds a level fit the same trees as one.
    const pooled = fitTrees('readiness', twice, initialTrees(twice), a, treeRounds(treeShape(twice)));
    const single = fitTrees('readiness', TREES, initialTrees(TREES), a, levels(TREES));
    expect(Array.from(pooled.subarray(2))).toEqual(Array.from(single.subarray(2)));
    expect(pooled[0]).toBe(single[0]);
  });

  it('learns an interaction the additive model without pair terms cannot', () => {
    const train = days(3000, 3, interaction);
    const test = days(1000, 4, interaction);
    const trees = fitTrees('readiness', TREES, initialTrees(TREES), train, levels(TREES));
    const additiveSettings: ModelSettings = { kind: 'additive', target: 'change', loss: 'squared', huberDelta: 1, learningRate: 0.5, l2: 0.001, monotone: false };
    const additive = fitAdditive('readiness', additiveSettings, initialAdditive(), train, 30);
    const treeMae = mae(test, treePredict('readiness', TREES, trees, test.x, test.n));
    const additiveMae = mae(test, additivePredict('readiness', additiveSettings, additive, test.x, test.n));
    expect(treeMae).toBeLessThan(0.25);
    expect(additiveMae).toBeGreaterThan(treeMae + 0.2);
  });

  it('keeps predictions monotone in a constrained feature even when the data are not', () => {
    const train = days(3000, 5, (sleep) => -sleep * sleep);
    const probe = days(50, 6, () => 0);
    const slope = (settings: ModelSettings) => {
      const params = fitTrees('readiness', settings, initialTrees(settings), train, levels(settings));
      let worst = 0;
      for (let r = 0; r < probe.n; r++) {
        const row = probe.x.slice(r * FEATURE_COUNT, (r + 1) * FEATURE_COUNT);
        const grid = new Float32Array(5 * FEATURE_COUNT);
        for (let s = 0; s < 5; s++) grid.set(row, s * FEATURE_COUNT), (grid[s * FEATURE_COUNT + SLEEP] = s - 2);
        const p = treePredict('readiness', settings, params, grid, 5);
        for (let s = 1; s < 5; s++) worst = Math.min(worst, p[s]! - p[s - 1]!);
      }
      return worst;
    };
    expect(slope(TREES)).toBeLessThan(-0.5); // unconstrained, better sleep is learned to lower readiness here
    expect(slope({ ...TREES, monotone: true })).toBeGreaterThanOrEqual(-1e-6);
  });

  it('a round changes nothing once every tree is built, or when no client had a day', () => {
    const small: ModelSettings = { ...TREES, treeDepth: 2, treeCount: 1 };
    const data = days(200, 7, interaction);
    const built = fitTrees('readiness', small, initialTrees(small), data, 2);
    expect(treeProgress(treeShape(small), built)).toEqual({ tree: 1, level: 0, builds: true });
    const c = treeContribution('readiness', small, built, data);
    expect(c.vector.every((v) => v === 0)).toBe(true);
    expect(applyTreeAggregate('readiness', small, built, c.vector)).toEqual(built);
    const fresh = initialTrees(small);
    expect(applyTreeAggregate('readiness', small, fresh, new Float32Array(c.vector.length))).toEqual(fresh);
    expect(Number.isFinite(c.loss)).toBe(true);
  });

  it('bounds every leaf and the base step under DP-like noise, where a hessian sum near 0 would be unbounded', () => {
    const small: ModelSettings = { ...TREES, treeDepth: 2, treeCount: 4, learningRate: 0.5 };
    const shape = treeShape(small);
    const rng = new Prng(31);
    let params = initialTrees(small);
    const length = treeContribution('readiness', small, params, days(10, 30, interaction)).vector.length;
    let bound = 0;
    for (let round = 0; round < treeRounds(shape); round++) {
      const noisy = Float32Array.from({ length }, () => rng.uniform(-0.5, 0.5));
      noisy[length / 2] = 1e-4; // the root's hessian total: positive, near 0
      params = applyTreeAggregate('readiness', small, params, noisy);
      expect(Math.abs(params[0]!)).toBeLessThanOrEqual(TREE_VALUE_BOUND * (round + 1));
    }
    for (let t = 0; t < shape.count; t++) {
      for (let l = 0; l < shape.leaves; l++) {
        const leaf = params[leafAt(shape, treeStart(shape, t), l)]!;
        expect(Math.abs(leaf)).toBeLessThanOrEqual(small.learningRate * TREE_VALUE_BOUND + 1e-6);
        if (Math.abs(Math.abs(leaf) - small.learningRate * TREE_VALUE_BOUND) < 1e-6) bound++;
      }
    }
    expect(bound).toBeGreaterThan(0); // the bound binds here: without it these leaves would be far larger
  });

  it('refuses vectors of the wrong length with a clear error', () => {
    const params = initialTrees(TREES);
    expect(() => applyTreeAggregate('readiness', TREES, params, new Float32Array(3))).toThrow(/aggregate has \d+ values, got 3/);
    expect(() => treeScores(TREES, params.subarray(1), new Float32Array(FEATURE_COUNT), 1)).toThrow(`the tree model has ${params.length} parameters, got ${params.length - 1}`);
    expect(treeParameterCount(treeShape(TREES))).toBe(params.length);
  });

  it('personalizes by a shrunk shift of the base score alone', () => {
    const data = days(600, 8, interaction);
    const global = fitTrees('readiness', TREES, initialTrees(TREES), data, levels(TREES));
    const athlete = days(30, 9, (s, o) => interaction(s, o) + 1);
    const personal = personalizeTrees('readiness', TREES, global, athlete);
    const before = treePredict('readiness', TREES, global, athlete.x, athlete.n);
    const after = treePredict('readiness', TREES, personal, athlete.x, athlete.n);
    const moved = Array.from(after, (p, i) => p - before[i]!);
    expect(Math.max(...moved) - Math.min(...moved)).toBeLessThan(1e-5); // one constant for every day
    expect(moved[0]).toBeGreaterThan(0.35); // about half of the athlete's +1 (30 days against a 30-day prior)
    expect(moved[0]).toBeLessThan(0.65);
  });
});

describe('exact Shapley explanations of the trees', () => {
  const small: ModelSettings = { ...TREES, treeDepth: 4, treeCount: 3 };
  const data = days(1500, 10, (sleep, soreness) => interaction(sleep, soreness) + 0.4 * sleep);
  // Random trees (every split on one of a few features, so paths repeat and mix features), and trees fitted to data.
  const randomTrees = (seed: number) => {
    const rng = new Prng(seed);
    const shape = treeShape(small);
    const out = initialTrees(small);
    const features = [SLEEP, SORENESS, TODAY, featureIndex('hrv_ln_delta'), featureIndex('load_today')];
    const layout = additiveLayout();
    for (let t = 0; t < shape.count; t++) {
      const start = 2 + t * shape.stride;
      for (let k = 0; k < shape.nodes; k++) {
        const j = features[Math.floor(rng.uniform(0, features.length))]!;
        out[start + k] = j + 1;
        out[start + shape.nodes + k] = 1 + Math.floor(rng.uniform(0, layout.bins[j]! - 2));
        out[start + 2 * shape.nodes + k] = rng.uniform(0, 1) < 0.5 ? 1 : 0;
      }
      for (let l = 0; l < shape.leaves; l++) out[start + 5 * shape.nodes + l] = rng.uniform(-1, 1);
    }
    return out;
  };
  const fitted = fitTrees('readiness', small, initialTrees(small), data, levels(small));

  it.each([
    ['fitted trees', fitted, [0]],
    ['random trees', randomTrees(11), Array.from({ length: 20 }, (_, i) => 2 * i)],
    ['other random trees', randomTrees(12), Array.from({ length: 20 }, (_, i) => 2 * i + 40)],
  ])('equal the brute-force Shapley values of the interventional game and sum to the score difference (%s)', (_name, params, pairs) => {
    for (const day of pairs) checkAgainstBruteForce(params, day);
  });

  function checkAgainstBruteForce(params: Float32Array, day: number): void {
    const scoreOf = (z: Float32Array) => treeScores(small, params, z, 1)[0]!;
    const splitsOn = (j: number) => {
      const shape = treeShape(small);
      for (let t = 0; t < shape.count; t++) for (let k = 0; k < shape.nodes; k++) if (params[2 + t * shape.stride + k] === j + 1) return true;
      return false;
    };
    const x = data.x.slice(day * FEATURE_COUNT, (day + 1) * FEATURE_COUNT);
    const baseline = data.x.slice((day + 1) * FEATURE_COUNT, (day + 2) * FEATURE_COUNT);
    const e = explainTrees('readiness', small, params, x, baseline, FEATURE_COUNT);
    const reference = targetReference('readiness', small, x, 0) - targetReference('readiness', small, baseline, 0);
    // Brute force over the features the trees split on that differ between the days; every other feature gets nothing.
    const active = Array.from({ length: FEATURE_COUNT }, (_, j) => j).filter((j) => splitsOn(j) && x[j] !== baseline[j]);
    for (let j = 0; j < FEATURE_COUNT; j++) if (!active.includes(j)) expect(e.attributions[j]).toBeCloseTo(j === TODAY ? reference : 0, 9);
    const n = active.length;
    expect(n).toBeLessThanOrEqual(20);
    const factorial = [1];
    for (let k = 1; k <= n; k++) factorial.push(factorial[k - 1]! * k);
    const values = Array.from({ length: 1 << n }, (_, mask) => {
      const z = baseline.slice();
      for (let i = 0; i < n; i++) if (mask & (1 << i)) z[active[i]!] = x[active[i]!]!;
      return scoreOf(z);
    });
    for (let i = 0; i < n; i++) {
      let phi = 0;
      for (let mask = 0; mask < 1 << n; mask++) {
        if (mask & (1 << i)) continue;
        const size = popcount(mask);
        phi += ((factorial[size]! * factorial[n - size - 1]!) / factorial[n]!) * (values[mask | (1 << i)]! - values[mask]!);
      }
      expect(e.attributions[active[i]!]!).toBeCloseTo(phi + (active[i] === TODAY ? reference : 0), 5);
    }
    expect(Math.abs(e.completenessGap)).toBeLessThan(1e-6);
    expect(e.prediction).toBeCloseTo(treePredict('readiness', small, params, x, 1)[0]!, 5);
  }

  it('a missing measurement contributes nothing, and a worse-than-usual sleep never raises the monotone forecast', () => {
    const monotone: ModelSettings = { ...small, monotone: true };
    const monotoneFit = fitTrees('readiness', monotone, initialTrees(monotone), data, levels(monotone));
    const x = data.x.slice(0, FEATURE_COUNT);
    x[featureIndex('hrv_missing')] = 1;
    const baseline = data.x.slice(FEATURE_COUNT, 2 * FEATURE_COUNT);
    baseline[featureIndex('hrv_missing')] = 0;
    x[SLEEP] = -2;
    baseline[SLEEP] = 1;
    const e = explainTrees('readiness', monotone, monotoneFit, x, baseline, FEATURE_COUNT);
    expect(e.attributions[featureIndex('hrv_ln_delta')]).toBe(0);
    expect(e.attributions[featureIndex('hrv_missing')]).toBe(0);
    expect(e.attributions[SLEEP]).toBeLessThan(0);
  });
});

describe('tree settings', () => {
  it('validate: tree sizes only on kind "trees", and within their range', () => {
    expect(modelSettingsSchema.safeParse({ ...TREES, kind: 'additive' }).success).toBe(false);
    expect(modelSettingsSchema.safeParse({ ...TREES, treeDepth: 5 }).success).toBe(false);
    expect(modelSettingsSchema.safeParse(TREES).success).toBe(true);
    for (const task of ['readiness', 'injury'] as const) {
      const model = defaultModelSettings(task, 'trees');
      const config = defaultTaskConfig(task, { model });
      expect(config.model?.kind).toBe('trees');
      expect(config.fit.clipNorm).toBe(defaultTaskConfig(task).fit.clipNorm);
      const family = modelFamily('trees');
      expect(family.init({ task, inputSize: FEATURE_COUNT } as never, 1, model).length).toBe(treeParameterCount(treeShape(model)));
    }
  });
});

function popcount(v: number): number {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
}
