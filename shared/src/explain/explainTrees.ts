import { FEATURE_COUNT } from '../features/feature-catalog.ts';
import { additiveLayout, type AdditiveLayout } from '../model/additive/layout.ts';
import type { ModelSettings } from '../model/settings.ts';
import type { TaskId } from '../model/spec.ts';
import { goesLeft, treeScores } from '../model/trees/treeModel.ts';
import { leafAt, nodeAt, SPLIT_FEATURE, treeShape, treeStart, type TreeShape } from '../model/trees/treeLayout.ts';
import { alignedBaseline, explanationFromScores, type AdditiveExplanation } from './explainAdditive.ts';

/**
 * Exact Shapley explanation of the boosted trees against a baseline day (interventional: a feature absent from a
 * coalition takes the baseline's value). Per leaf the game is "reached or not": A are the features whose splits on
 * the leaf's path only today's value satisfies, B those only the baseline's; the leaf is reached exactly when every
 * feature of A and none of B comes from today, so with v the leaf's value each i in A gets
 * v (|A|-1)! |B|! / (|A|+|B|)! and each i in B -v |A|! (|B|-1)! / (|A|+|B|)!. Summed over the leaves these are the
 * trees' Shapley values; they add up to score(today) - score(baseline) exactly. The rest is explainAdditive's.
 */
export function explainTrees(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, baseline: ArrayLike<number>, top = 4): AdditiveExplanation {
  const base = alignedBaseline(x, baseline);
  const shape = treeShape(settings);
  const layout = additiveLayout();
  const logit = new Float64Array(FEATURE_COUNT);
  for (let t = 0; t < shape.count; t++) {
    const start = treeStart(shape, t);
    for (let l = 0; l < shape.leaves; l++) {
      const value = params[leafAt(shape, start, l)]!;
      if (value === 0) continue;
      const reach = pathReach(shape, layout, params, start, shape.nodes + l, x, base);
      if (!reach) continue;
      let a = 0;
      let b = 0;
      for (const state of reach.values()) {
        if (state === 'today') a++;
        else if (state === 'baseline') b++;
      }
      if (a + b === 0) continue;
      const toToday = a > 0 ? (value * factorial(a - 1) * factorial(b)) / factorial(a + b) : 0;
      const toBaseline = b > 0 ? (value * factorial(a) * factorial(b - 1)) / factorial(a + b) : 0;
      for (const [feature, state] of reach) {
        if (state === 'today') logit[feature]! += toToday;
        else if (state === 'baseline') logit[feature]! -= toBaseline;
      }
    }
  }
  const [scoreX, scoreB] = treeScores(settings, params, Float64Array.from([...Array.from(x), ...Array.from(base)]), 2);
  return explanationFromScores(task, settings, x, base, scoreX!, scoreB!, logit, top);
}

type Reach = 'both' | 'today' | 'baseline';

/**
 * Per feature split on the way to the node `k` (breadth-first index), which of today and the baseline satisfy all
 * of its conditions there; null when neither does for some feature (no coalition reaches the node).
 */
function pathReach(
  shape: TreeShape, layout: AdditiveLayout, params: ArrayLike<number>, start: number, k: number,
  x: ArrayLike<number>, base: ArrayLike<number>,
): Map<number, Reach> | null {
  const today = new Map<number, boolean>();
  const baseline = new Map<number, boolean>();
  for (let child = k; child > 0; child = (child - 1) >> 1) {
    const parent = (child - 1) >> 1;
    const left = child === 2 * parent + 1;
    const feature = params[nodeAt(shape, start, SPLIT_FEATURE, parent)]! - 1;
    if (feature < 0) {
      if (!left) return null;
      continue;
    }
    today.set(feature, (today.get(feature) ?? true) && goesLeft(shape, layout, params, start, parent, x, 0) === left);
    baseline.set(feature, (baseline.get(feature) ?? true) && goesLeft(shape, layout, params, start, parent, base, 0) === left);
  }
  const out = new Map<number, Reach>();
  for (const [feature, t] of today) {
    const b = baseline.get(feature)!;
    if (!t && !b) return null;
    out.set(feature, t && b ? 'both' : t ? 'today' : 'baseline');
  }
  return out;
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}
