import { describe, expect, it } from 'vitest';
import { collapseWarnings, dpUtilityWarnings } from '../src/sim/collapse.ts';
import { finalResults } from '../src/sim/finalResults.ts';
import { scoreMethods, type AnyResult, type TestSet } from '../src/sim/evaluation.ts';
import type { MethodPredictions } from '../src/sim/metrics.ts';
import { Prng } from '@huddle/shared/random';

/** 20 athletes x 30 days, about 10% positive days. */
function testSet(): TestSet {
  const prng = new Prng(4);
  const labels = Float64Array.from({ length: 600 }, () => (prng.next() < 0.1 ? 1 : 0));
  return { task: 'injury', x: new Float32Array(0), labels, groups: [], offsets: Array.from({ length: 21 }, (_, a) => a * 30) };
}

function score(test: TestSet, methods: Record<string, MethodPredictions>): Record<string, AnyResult> {
  return scoreMethods(test, methods, [], { resamples: 50, seed: 1 }).results;
}

describe('collapse warnings', () => {
  const test = testSet();
  const rate = test.labels.reduce((s, v) => s + v, 0) / test.labels.length;
  const prng = new Prng(8);
  const informative = Float64Array.from(test.labels, (y) => Math.min(1, Math.max(0, 0.05 + 0.5 * y + 0.1 * prng.next())));

  it('flags constant predictions and a Brier score equal to the base rate', () => {
    const constant: MethodPredictions = { kind: 'binary', predictions: new Float64Array(600).fill(rate) };
    const r = score(test, { constant });
    const w = collapseWarnings('federated', constant, r.constant!);
    expect(w.some((m) => /collapsed to a constant/.test(m))).toBe(true);
    expect(w.some((m) => /equals the base rate/.test(m))).toBe(true);
  });

  it('flags an AUC at chance', () => {
    // Two values, assigned independently of the label in equal shares within each class.
    let pos = 0;
    let neg = 0;
    const chance = Float64Array.from(test.labels, (y) => (y === 1 ? pos++ : neg++) % 2 === 0 ? 0.2 : 0.3);
    const m: MethodPredictions = { kind: 'binary', predictions: chance };
    const r = score(test, { m });
    expect(Math.abs((r.m as { auc: number }).auc - 0.5)).toBeLessThan(0.005);
    expect(collapseWarnings('federated', m, r.m!).some((x) => /chance level/.test(x))).toBe(true);
  });

  it('says nothing about an informative model, and flags a diverged one', () => {
    const m: MethodPredictions = { kind: 'binary', predictions: informative };
    expect(collapseWarnings('federated', m, score(test, { m }).m!)).toEqual([]);
    const bad: MethodPredictions = { kind: 'binary', predictions: Float64Array.from(informative, (v, i) => (i === 7 ? NaN : v)) };
    expect(collapseWarnings('federated', bad, score(test, { bad }).bad!)[0]).toMatch(/diverged/);
  });

  it('flags a DP run worse than the trivial reference beyond the interval, only under noise', () => {
    const c = { method: 'federated', reference: 'athleteRate', metric: 'brier', difference: 0.02, lo: 0.01, hi: 0.03, verdict: 'worse' as const };
    expect(dpUtilityWarnings(1.2, [c])[0]).toMatch(/destroyed utility: federated brier/);
    expect(dpUtilityWarnings(0, [c])).toEqual([]);
    expect(dpUtilityWarnings(1.2, [{ ...c, lo: -0.01, verdict: 'inconclusive' }])).toEqual([]);
  });

  it('says once when the test days hold no injury, so that no AUC can rank the methods', () => {
    const none: TestSet = { ...test, labels: new Float64Array(600) };
    const federated: MethodPredictions = { kind: 'binary', predictions: informative };
    const opts = { seed: 1, resamples: 20, noiseMultiplier: 0, referenceSettings: {} };
    const empty = finalResults(none, { federated }, opts).warnings;
    expect(empty.filter((w) => /hold no injury: AUC and PR AUC are undefined/.test(w))).toHaveLength(1);
    expect(empty[0]).toMatch(/^the 600 test days hold no injury/);
    expect(finalResults(test, { federated }, opts).warnings.some((w) => /hold no injury/.test(w))).toBe(false);
  });
});
