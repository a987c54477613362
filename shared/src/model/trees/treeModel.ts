import { monotoneDirections } from '../../features/feature-directions.ts';
import { additiveLayout, slotOf, type AdditiveLayout } from '../additive/layout.ts';
import { gradHess, lossValue } from '../additive/losses.ts';
import { NOISE_FLOOR_SDS, noiseFloorStd, type Contribution } from '../additive/additiveModel.ts';
import type { ModelSettings } from '../settings.ts';
import type { TaskId } from '../spec.ts';
import { targetReference } from '../target.ts';
import type { TrainingData } from '../trainTf.ts';
import { bestSplit, childBounds, leafValue, type NodeHistogram } from './splitFinder.ts';
import {
  BASE, LOWER, leafAt, MISSING_LEFT, nodeAt, PROGRESS, SPLIT_BIN, SPLIT_FEATURE, treeParameterCount, treeProgress, treeShape, treeStart, UNBOUNDED, UPPER,
  type TreeShape,
} from './treeLayout.ts';

/**
 * A federated histogram gradient-boosted tree model: score(x) = base + sum of the trees' leaves. Trees are grown
 * level by level, one federated round per level: each selected client routes its training days through the tree
 * in progress and sends, per node of the level, the sums of the loss's gradient and hessian in every feature's
 * fixed bin (`treeContribution`); the coordinator learns only their weighted mean (plainly or through secure
 * aggregation) and splits every node of the level from it (`applyTreeAggregate`). With `treeLevelRounds` R a level is
 * built from the mean of its R rounds' aggregates (the coordinator keeps them, `stepRounds`), so each level sees R
 * rounds' clients; a tree of depth D costs D x R rounds.
 * Known directions (feature-directions.ts) are enforced in the splits, so every tree, and their sum, is monotone.
 */

/** Least share of the round's hessian mass a child may hold. */
export const TREE_MIN_CHILD_SHARE = 0.01;

/**
 * The largest Newton value (before the learning rate) a leaf or the base score's step may take: 10 readiness points
 * (the scale's whole range, no change from today is larger) or 10 logits. Without DP noise no node comes near it;
 * with noise a hessian sum near 0 would otherwise turn into an unbounded value.
 */
export const TREE_VALUE_BOUND = 10;

export function initialTrees(settings: ModelSettings): Float32Array {
  const shape = treeShape(settings);
  const params = new Float32Array(treeParameterCount(shape));
  for (let t = 0; t < shape.count; t++) {
    const start = treeStart(shape, t);
    for (let k = 0; k < shape.nodes; k++) {
      params[nodeAt(shape, start, LOWER, k)] = -UNBOUNDED;
      params[nodeAt(shape, start, UPPER, k)] = UNBOUNDED;
    }
  }
  return params;
}

/** A checkpoint's parameters, refused with a clear reason when they are not this shape's trees. */
export function resumeTrees(params: Float32Array, settings: ModelSettings): Float32Array {
  checkParams(treeShape(settings), params);
  return params;
}

function checkParams(shape: TreeShape, params: ArrayLike<number>): void {
  const expected = treeParameterCount(shape);
  if (params.length !== expected) throw new RangeError(`the tree model has ${expected} parameters, got ${params.length}`);
}

/** The node a day reaches after `levels` levels of the tree starting at `start` (breadth-first index). */
export function routeDay(shape: TreeShape, layout: AdditiveLayout, params: ArrayLike<number>, start: number, x: ArrayLike<number>, at: number, levels: number): number {
  let k = 0;
  for (let level = 0; level < levels; level++) k = 2 * k + (goesLeft(shape, layout, params, start, k, x, at) ? 1 : 2);
  return k;
}

/** Whether a day goes left at split node k (always, when the node does not split). */
export function goesLeft(shape: TreeShape, layout: AdditiveLayout, params: ArrayLike<number>, start: number, k: number, x: ArrayLike<number>, at: number): boolean {
  const feature = params[nodeAt(shape, start, SPLIT_FEATURE, k)]! - 1;
  if (feature < 0) return true;
  const bin = slotOf(layout, feature, x, at) - layout.offset[feature]!;
  if (bin === 0) return params[nodeAt(shape, start, MISSING_LEFT, k)]! > 0.5;
  return bin <= params[nodeAt(shape, start, SPLIT_BIN, k)]!;
}

/** Raw scores (before the reference or the sigmoid) of n day vectors. */
export function treeScores(settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const shape = treeShape(settings);
  checkParams(shape, params);
  const layout = additiveLayout();
  const F = layout.features;
  if (x.length < n * F) throw new RangeError(`need ${n * F} feature values, got ${x.length}`);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = scoreOf(shape, layout, params, x, r * F);
  return out;
}

function scoreOf(shape: TreeShape, layout: AdditiveLayout, params: ArrayLike<number>, x: ArrayLike<number>, at: number): number {
  let s = params[BASE]!;
  for (let t = 0; t < shape.count; t++) {
    const start = treeStart(shape, t);
    s += params[leafAt(shape, start, routeDay(shape, layout, params, start, x, at, shape.depth) - shape.nodes)]!;
  }
  return s;
}

/** Predictions in label units: readiness points, or injury probability. */
export function treePredict(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float32Array {
  const scores = treeScores(settings, params, x, n);
  const F = additiveLayout().features;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) out[r] = settings.loss === 'logistic' ? 1 / (1 + Math.exp(-scores[r]!)) : targetReference(task, settings, x, r * F) + scores[r]!;
  return out;
}

/**
 * One client's part of a round: its training days routed to the level being built, and per node of that level
 * [G, H] summed in every histogram slot (slot 0: the node's totals), divided by its day count. Every tree built:
 * zeros (the round changes nothing).
 */
export function treeContribution(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, data: TrainingData): Contribution {
  const shape = treeShape(settings);
  checkParams(shape, params);
  const layout = additiveLayout();
  const F = layout.features;
  const width = 2 ** (shape.depth - 1);
  const acc = new Float64Array(2 * width * shape.slots);
  const { tree, level } = treeProgress(shape, params);
  const hessians = width * shape.slots;
  let loss = 0;
  for (let r = 0; r < data.n; r++) {
    const at = r * F;
    const y = data.y[r]! - targetReference(task, settings, data.x, at);
    const s = scoreOf(shape, layout, params, data.x, at);
    loss += lossValue(settings.loss, settings.huberDelta, s, y);
    if (tree === shape.count) continue;
    const [g, h] = gradHess(settings.loss, settings.huberDelta, s, y);
    const row = (routeDay(shape, layout, params, treeStart(shape, tree), data.x, at, level) - (2 ** level - 1)) * shape.slots;
    acc[row]! += g;
    acc[hessians + row]! += h;
    for (let j = 0; j < F; j++) {
      if (layout.absorbed[j]) continue;
      const slot = slotOf(layout, j, data.x, at);
      acc[row + slot]! += g;
      acc[hessians + row + slot]! += h;
    }
  }
  const vector = new Float32Array(acc.length);
  if (data.n > 0) for (let i = 0; i < vector.length; i++) vector[i] = acc[i]! / data.n;
  return { vector, weight: data.n, loss: data.n > 0 ? loss / data.n : Number.NaN };
}

/**
 * The coordinator's step from the mean contribution: every node of the level in progress takes its best split (see
 * bestSplit; L2 `l2` in units of the round's hessian mass); on a tree's first level the base score takes the full
 * Newton step on the totals and the splits are chosen on what it leaves; on its last level the leaves are set to
 * `learningRate` x their shrunk Newton value, clamped to the monotone bounds. A node that gains from no split sends
 * every day left. An empty aggregate (no hessian mass, e.g. no client had a day) changes nothing. The sum may carry
 * DP noise: negative hessians are read as 0, and with `noiseStd` (its std on each value of `mean`; not for the
 * logistic loss, see noiseFloorStd) a child must hold more mass than NOISE_FLOOR_SDS noise stds of its widest bin
 * sum, and a level whose total mass is within that many stds of 0 is not built.
 */
export function applyTreeAggregate(task: TaskId, settings: ModelSettings, params: Float32Array, mean: Float32Array, noiseStd = 0): Float32Array {
  const shape = treeShape(settings);
  checkParams(shape, params);
  const layout = additiveLayout();
  const width = 2 ** (shape.depth - 1);
  if (mean.length !== 2 * width * shape.slots) throw new RangeError(`the tree model's aggregate has ${2 * width * shape.slots} values, got ${mean.length}`);
  const out = Float32Array.from(params);
  const floorStd = noiseFloorStd(settings, noiseStd);
  const { tree, level, builds } = treeProgress(shape, params);
  if (tree === shape.count) return out;
  const first = 2 ** level - 1;
  const histograms: NodeHistogram[] = [];
  let totalG = 0;
  let totalH = 0;
  for (let i = 0; i < 2 ** level; i++) {
    const g = Float64Array.from(mean.subarray(i * shape.slots, (i + 1) * shape.slots));
    const h = Float64Array.from(mean.subarray((width + i) * shape.slots, (width + i + 1) * shape.slots));
    histograms.push({ g, h });
    totalG += g[0]!;
    totalH += Math.max(0, h[0]!);
  }
  if (!(totalH > NOISE_FLOOR_SDS * floorStd * Math.sqrt(2 ** level))) return out;
  if (!builds) {
    // `mean` will count again: the level's last round gets the mean of its rounds' aggregates (stepRounds).
    out[PROGRESS] = out[PROGRESS]! + 1;
    return out;
  }
  if (level === 0) {
    // The base score's Newton step, and the root split chosen on the gradients it leaves (to first order).
    const shift = Math.min(TREE_VALUE_BOUND, Math.max(-TREE_VALUE_BOUND, -totalG / totalH));
    out[BASE] = out[BASE]! + shift;
    const { g, h } = histograms[0]!;
    for (let s = 0; s < shape.slots; s++) g[s] = g[s]! + h[s]! * shift;
  }
  const start = treeStart(shape, tree);
  const rules = {
    lambda: settings.l2 * totalH,
    minChild: Math.max(TREE_MIN_CHILD_SHARE * totalH, NOISE_FLOOR_SDS * floorStd * Math.sqrt(Math.max(...layout.bins))),
    directions: settings.monotone ? monotoneDirections(task) : new Int8Array(layout.features),
  };
  const last = level === shape.depth - 1;
  for (let i = 0; i < 2 ** level; i++) {
    const k = first + i;
    const lower = Math.max(-TREE_VALUE_BOUND, out[nodeAt(shape, start, LOWER, k)]!);
    const upper = Math.min(TREE_VALUE_BOUND, out[nodeAt(shape, start, UPPER, k)]!);
    const hist = histograms[i]!;
    const split = bestSplit(layout, hist, rules, lower, upper);
    let leftValue: number;
    let rightValue: number;
    let bounds = { left: [lower, upper] as [number, number], right: [lower, upper] as [number, number] };
    if (split) {
      out[nodeAt(shape, start, SPLIT_FEATURE, k)] = split.feature + 1;
      out[nodeAt(shape, start, SPLIT_BIN, k)] = split.bin;
      out[nodeAt(shape, start, MISSING_LEFT, k)] = split.missingLeft ? 1 : 0;
      bounds = childBounds(split, rules.directions[split.feature]!, lower, upper);
      leftValue = split.left.value;
      rightValue = split.right.value;
    } else {
      leftValue = rightValue = leafValue(hist.g[0]!, Math.max(0, hist.h[0]!), rules.lambda, lower, upper);
    }
    const children = [2 * k + 1, 2 * k + 2] as const;
    if (last) {
      out[leafAt(shape, start, children[0] - shape.nodes)] = settings.learningRate * Math.min(bounds.left[1], Math.max(bounds.left[0], leftValue));
      out[leafAt(shape, start, children[1] - shape.nodes)] = settings.learningRate * Math.min(bounds.right[1], Math.max(bounds.right[0], rightValue));
    } else {
      out[nodeAt(shape, start, LOWER, children[0])] = bounds.left[0];
      out[nodeAt(shape, start, UPPER, children[0])] = bounds.left[1];
      out[nodeAt(shape, start, LOWER, children[1])] = bounds.right[0];
      out[nodeAt(shape, start, UPPER, children[1])] = bounds.right[1];
    }
  }
  out[PROGRESS] = out[PROGRESS]! + 1;
  return out;
}
