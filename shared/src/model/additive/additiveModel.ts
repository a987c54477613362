import { monotoneDirections } from '../../features/feature-directions.ts';
import type { TaskId } from '../spec.ts';
import { learnsMeanForecast, usesMedianStep, type ModelSettings } from '../settings.ts';
import { targetReference } from '../target.ts';
import type { TrainingData } from '../trainTf.ts';
import { isotonicInPlace } from './isotonic.ts';
import { additiveLayout, pairSlotOf, slotOf, type AdditiveLayout } from './layout.ts';
import { gradHess, lossValue } from './losses.ts';
import { bucketMedian, RESIDUAL_BUCKETS, residualBucket } from './residualBuckets.ts';

/**
 * A boosted additive model (explainable-boosting style): score(x) = intercept + sum_j f_j(bin_j(x)), one shape
 * function per feature over fixed histogram bins. Readiness predicts `reference + score` (see targetReference);
 * injury predicts sigmoid(score). One federated round = one damped Newton step on every shape function at once,
 * from the federation's summed per-bin gradients and hessians; see applyAdditiveAggregate.
 */

/** Positive weight every bin gets in the monotone projection, so bins no one filled still follow their neighbours. */
const EMPTY_BIN_WEIGHT = 1e-4;

/** Parts of the parameter vector: the model of the task's loss, and the mean correction when the task learns the mean forecast. */
function headCount(settings?: ModelSettings): 1 | 2 {
  return settings && learnsMeanForecast(settings) ? 2 : 1;
}

export function additiveParameterCount(settings?: ModelSettings): number {
  return 2 * additiveLayout().size * headCount(settings);
}

/** Round 0: every shape function flat at 0, intercept 0 (the 'change' target starts as persistence), in every head. */
export function initialAdditive(settings?: ModelSettings): Float32Array {
  return new Float32Array(additiveParameterCount(settings));
}

/**
 * A checkpoint's parameters in the layout `settings` train:
 * - saved before the pair terms existed ([served, iterate] without pair cells): the cells are added at 0 in both
 *   halves, and the model predicts exactly as before;
 * - saved without the mean forecast by a task that now learns it: the mean correction starts at 0 (mean = median);
 * - saved with it by a task that no longer learns it: the median model is kept.
 * Any other length is returned as it is (and checked where used).
 */
export function resumeAdditive(params: Float32Array, settings?: ModelSettings): Float32Array {
  const layout = additiveLayout();
  const before = layout.pairOffset;
  let out = params;
  if (params.length === 2 * before && before !== layout.size) {
    out = new Float32Array(2 * layout.size);
    out.set(params.subarray(0, before), 0);
    out.set(params.subarray(before), layout.size);
  }
  const single = 2 * layout.size;
  if (settings === undefined) return out;
  if (headCount(settings) === 2 && out.length === single) {
    const both = new Float32Array(2 * single);
    both.set(out, 0);
    return both;
  }
  if (headCount(settings) === 1 && out.length === 2 * single) return out.slice(0, single);
  return out;
}

function pairCount(layout: AdditiveLayout): number {
  return layout.pairs.length / 2;
}

function checkParams(params: ArrayLike<number>, layout: AdditiveLayout, settings: ModelSettings): void {
  const expected = 2 * layout.size * headCount(settings);
  if (params.length !== expected) throw new RangeError(`the additive model has ${expected} parameters, got ${params.length}`);
}

/** The two forecasts a parameter vector can give: the model of the task's loss (what is served and explained), and the mean forecast (the model plus its mean correction). */
export type AdditiveHead = 'model' | 'mean';

/**
 * Raw scores (before the reference or the sigmoid) of n day vectors by the served model (the first half of
 * [served, iterate]); for the mean forecast the served model plus the served mean correction. The vector's length
 * says whether it holds the correction.
 */
export function additiveScores(params: ArrayLike<number>, x: ArrayLike<number>, n: number, head: AdditiveHead = 'model'): Float64Array {
  const layout = additiveLayout();
  const single = 2 * layout.size;
  if (params.length !== single && params.length !== 2 * single) throw new RangeError(`the additive model has ${single} or ${2 * single} parameters, got ${params.length}`);
  if (head === 'mean' && params.length !== 2 * single) throw new RangeError('this additive model has no mean forecast');
  const F = layout.features;
  if (x.length < n * F) throw new RangeError(`need ${n * F} feature values, got ${x.length}`);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = scoreAt(layout, params, 0, x, r * F) + (head === 'mean' ? scoreAt(layout, params, single, x, r * F) : 0);
  return out;
}

/** One day's score by the values starting at params[at] (every feature and pair cell). */
function scoreAt(layout: AdditiveLayout, params: ArrayLike<number>, at: number, x: ArrayLike<number>, day: number): number {
  let s = params[at]!;
  for (let j = 0; j < layout.features; j++) if (!layout.absorbed[j]) s += params[at + slotOf(layout, j, x, day)]!;
  for (let p = 0; p < pairCount(layout); p++) s += params[at + pairSlotOf(layout, p, x, day)]!;
  return s;
}

/** Predictions in label units: readiness points, or injury probability; by default the served model's, or the mean forecast's. */
export function additivePredict(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, n: number, head: AdditiveHead = 'model'): Float32Array {
  const scores = additiveScores(params, x, n, head);
  const F = additiveLayout().features;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    out[r] = settings.loss === 'logistic' ? 1 / (1 + Math.exp(-scores[r]!)) : targetReference(task, settings, x, r * F) + scores[r]!;
  }
  return out;
}

/** The mean forecast (expected readiness), or null when the task does not learn it. */
export function additiveMeanPredict(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float32Array | null {
  return learnsMeanForecast(settings) ? additivePredict(task, settings, params, x, n, 'mean') : null;
}

/** Statistics a client sends per slot: [G, H], or with the median step one count per residual bucket; plus the mean forecast's gradient when learned. */
export function contributionStats(settings: ModelSettings): number {
  return (usesMedianStep(settings) ? RESIDUAL_BUCKETS : 2) + (learnsMeanForecast(settings) ? 1 : 0);
}

export interface Contribution {
  /** [G / n, H / n] per slot, or [count of residual bucket k / n] for k = 0..RESIDUAL_BUCKETS-1 (median step): what the client sends as its "update". */
  vector: Float32Array;
  /** n, the client's training days: the weight of its vector in the example-weighted mean. */
  weight: number;
  /** Mean loss of the latest iterate on those days. */
  loss: number;
}

/**
 * One client's part of a round: per slot, the sum of the loss's gradient and hessian over its training days at the
 * latest iterate (the second half of the parameters), divided by its day count. The example-weighted mean over clients is then [sum G / sum n, sum H / sum n],
 * whose ratio per slot is the exact federation-wide Newton step.
 */
export function additiveContribution(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, data: TrainingData): Contribution {
  const layout = additiveLayout();
  checkParams(params, layout, settings);
  const { size, features: F } = layout;
  const n = data.n;
  const iterate = iterateOffset(settings, size);
  const median = usesMedianStep(settings);
  const stats = contributionStats(settings);
  const acc = new Float64Array(stats * size);
  // The mean forecast's row: the squared loss's gradient at the iterates (the model's plus the correction's).
  const meanRow = learnsMeanForecast(settings) ? (stats - 1) * size : -1;
  const meanIterate = 2 * size + iterate;
  // Pair cells are summed only when the task learns them: otherwise they stay 0, in the model and on the wire.
  const P = settings.pairTerms ? pairCount(layout) : 0;
  const slots = new Int32Array(F + P);
  let loss = 0;
  for (let r = 0; r < n; r++) {
    const at = r * F;
    let s = params[iterate]!;
    for (let j = 0; j < F; j++) {
      const slot = slotOf(layout, j, data.x, at);
      slots[j] = slot;
      if (!layout.absorbed[j]) s += params[iterate + slot]!;
    }
    for (let p = 0; p < P; p++) {
      const slot = pairSlotOf(layout, p, data.x, at);
      slots[F + p] = slot;
      s += params[iterate + slot]!;
    }
    const y = data.y[r]! - targetReference(task, settings, data.x, at);
    loss += lossValue(settings.loss, settings.huberDelta, s, y);
    if (meanRow >= 0) {
      // The mean forecast at the iterates: the model's score plus the correction's.
      let m = s + params[meanIterate]!;
      for (let j = 0; j < F; j++) if (!layout.absorbed[j]) m += params[meanIterate + slots[j]!]!;
      for (let p = F; p < F + P; p++) m += params[meanIterate + slots[p]!]!;
      const [g] = gradHess('squared', settings.huberDelta, m, y);
      acc[meanRow]! += g;
      for (let j = 0; j < F; j++) if (!layout.absorbed[j]) acc[meanRow + slots[j]!]! += g;
      for (let p = F; p < F + P; p++) acc[meanRow + slots[p]!]! += g;
    }
    if (median) {
      const bucket = residualBucket(y - s) * size;
      acc[bucket]! += 1;
      for (let j = 0; j < F; j++) if (!layout.absorbed[j]) acc[bucket + slots[j]!]! += 1;
      for (let p = F; p < F + P; p++) acc[bucket + slots[p]!]! += 1;
      continue;
    }
    const [g, h] = gradHess(settings.loss, settings.huberDelta, s, y);
    acc[0]! += g;
    acc[size]! += h;
    for (let j = 0; j < F; j++) {
      if (layout.absorbed[j]) continue;
      acc[slots[j]!]! += g;
      acc[size + slots[j]!]! += h;
    }
    for (let p = F; p < F + P; p++) {
      acc[slots[p]!]! += g;
      acc[size + slots[p]!]! += h;
    }
  }
  const vector = new Float32Array(acc.length);
  if (n > 0) for (let i = 0; i < vector.length; i++) vector[i] = acc[i]! / n;
  return { vector, weight: n, loss: n > 0 ? loss / n : Number.NaN };
}

/**
 * The coordinator's step from the mean contribution [G, H] (per-slot means over the federation's training days), applied
 * to the latest iterate (the second half of the parameters):
 * - intercept: the full Newton step -G0 / H0;
 * - with the median step (absolute loss; the contribution is per-slot residual bucket counts, see residualBuckets.ts)
 *   every Newton step below is replaced by the slot's median residual (minus the intercept's), LAD boosting's leaf
 *   value, and the hessian mass by the slot's day count; damping, L2, smoothing, projection and averaging as below;
 * - each bin of each feature: -learningRate x (G - H x G0 / H0) / (H + l2), the Newton step on what the intercept's
 *   step leaves unexplained, shrunk by L2 (l2 x H0, so l2 is in units of a bin's share of the hessian mass, the
 *   share of days for squared-type losses: a bin holding that share moves half as far as its own Newton step). All features step at once; learningRate < 1 damps the overlap
 *   between correlated features;
 * - smoothing: the step of an ordered feature is averaged with its neighbours' (weight `smoothing` each, every bin
 *   weighted by its hessian share), so a sparse bin borrows strength from the adjacent ones and one round's sampling
 *   noise is damped; the missing bin is left alone;
 * - monotone constraints: each constrained shape function is projected (weighted pool-adjacent-violators, weights
 *   = the bins' share of hessian mass) onto the monotone functions, after every step;
 * - centring: each shape function is shifted to mean 0 over the federation's days, the shift moved into the
 *   intercept, which leaves every prediction unchanged;
 * - pair terms (when the settings ask for them): every cell takes the same L2-shrunk Newton step as a bin, not
 *   smoothed, projected or centred (neither feature of a pair is monotone-constrained);
 * - averaging: the served model (the first half) becomes `averaging x served + (1 - averaging) x iterate`. An
 *   average of monotone additive models is monotone and additive, so explanations stay exact.
 * The sum may carry DP noise: negative hessians are read as 0, and with `noiseStd` (the noise's std on each value of
 * `mean`) a slot whose mass the noise could have made (below NOISE_FLOOR_SDS noise stds of the mass estimate) does
 * not step (not for the logistic loss, see noiseFloorStd): the noise would otherwise decide its step, round after round.
 */
/**
 * Where the latest iterate starts. Without averaging the served model is the iterate, so the first half is read: a
 * checkpoint saved before averaging existed ([values, per-bin mass]) then resumes exactly as it was trained.
 */
function iterateOffset(settings: ModelSettings, size: number): number {
  return (settings.averaging ?? 0) > 0 ? size : 0;
}

export function applyAdditiveAggregate(task: TaskId, settings: ModelSettings, params: Float32Array, mean: Float32Array, noiseStd = 0): Float32Array {
  const layout = additiveLayout();
  checkParams(params, layout, settings);
  const { size } = layout;
  const stats = contributionStats(settings);
  if (mean.length !== stats * size) throw new RangeError(`the additive model's aggregate has ${stats * size} values, got ${mean.length}`);
  const out = Float32Array.from(params);
  const { mass, raw } = aboveNoise(stepInputs(settings, mean, size), noiseFloorStd(settings, noiseStd) * Math.sqrt(usesMedianStep(settings) ? RESIDUAL_BUCKETS : 1));
  if (!mass) return out;
  if (learnsMeanForecast(settings)) {
    // The mean correction: the squared loss's Newton step, its hessian the slot's day count (the median's mass), at
    // the learning rate that cannot diverge (meanCorrectionRate); smoothed and constrained like the model, so the
    // mean forecast, a sum of two monotone functions, is monotone where the model is.
    const meanStep = newtonInputs(mean, (stats - 1) * size, (s) => mass[s]!, size);
    if (meanStep.mass) stepHead(task, { ...settings, learningRate: meanCorrectionRate(settings) }, out, 2 * size, meanStep.mass, meanStep.raw);
  }
  stepHead(task, settings, out, 0, mass, raw);
  return out;
}

/**
 * Learning rate of the mean correction's shape functions: every block (each feature, each pair term) takes its own
 * Newton step at once, and the sum of B such steps can overshoot by up to B times on days where the blocks overlap
 * (collinear features, one athlete's few days); at a rate below 2 / B the squared loss cannot diverge on any data.
 * The task's rate when it is lower. The intercept still takes its full step (the mean shift is learned in a round).
 */
export function meanCorrectionRate(settings: ModelSettings): number {
  const layout = additiveLayout();
  let blocks = settings.pairTerms ? pairCount(layout) : 0;
  for (let j = 0; j < layout.features; j++) if (!layout.absorbed[j]) blocks++;
  return Math.min(settings.learningRate, 1 / blocks);
}

/** One head's server step (see applyAdditiveAggregate) on out[base .. base + 2 x size), from its mass and full steps (both consumed). */
function stepHead(task: TaskId, settings: ModelSettings, out: Float32Array, base: number, mass: Float64Array, raw: Float64Array): void {
  const layout = additiveLayout();
  const { size, features: F } = layout;
  const h0 = mass[0]!;
  const values = new Float64Array(size);
  const iterate = base + iterateOffset(settings, size);
  for (let s = 0; s < size; s++) values[s] = out[iterate + s]!;
  values[0]! += raw[0]!;
  // From here on mass is each slot's share of the intercept's.
  for (let s = 1; s < size; s++) mass[s] = mass[s]! / h0;
  mass[0] = 1;
  const shrunk = (s: number) => (mass[s]! > 0 ? (settings.learningRate * raw[s]! * mass[s]!) / (mass[s]! + settings.l2) : 0);
  const directions = settings.monotone ? monotoneDirections(task) : new Int8Array(F);
  const smoothing = settings.smoothing ?? 0;
  const longest = Math.max(...layout.bins);
  const weights = new Float64Array(longest);
  const step = new Float64Array(longest);
  for (let j = 0; j < F; j++) {
    if (layout.absorbed[j]) continue;
    const from = layout.offset[j]!;
    const count = layout.bins[j]!;
    for (let b = 0; b < count; b++) step[b] = shrunk(from + b);
    if (smoothing > 0 && count > 3) smoothInPlace(step, mass, from, count, smoothing);
    for (let b = 0; b < count; b++) values[from + b]! += step[b]!;
    const direction = directions[j]!;
    if (direction !== 0) {
      for (let b = 1; b < count; b++) weights[b - 1] = mass[from + b]! + EMPTY_BIN_WEIGHT;
      isotonicInPlace(values, weights, from + 1, count - 1, direction as 1 | -1);
    }
    let total = 0;
    let weighted = 0;
    for (let s = from; s < from + count; s++) {
      total += mass[s]!;
      weighted += mass[s]! * values[s]!;
    }
    if (total > 0) {
      const shift = weighted / total;
      for (let s = from; s < from + count; s++) values[s]! -= shift;
      values[0]! += shift;
    }
  }
  if (settings.pairTerms) {
    for (let s = layout.pairOffset; s < size; s++) values[s]! += shrunk(s);
  }
  const keep = settings.averaging ?? 0;
  for (let s = 0; s < size; s++) {
    out[base + size + s] = values[s]!;
    out[base + s] = keep * out[base + s]! + (1 - keep) * values[s]!;
  }
}

/**
 * Per slot, its hessian mass (the day count for the absolute and squared losses) and its full step before damping
 * and L2: for the intercept the Newton step -G0 / H0 (or the median residual); for every other slot the step on what
 * the intercept's leaves unexplained, (G0 / H0 - G / H) (or its median residual minus the intercept's). Null mass:
 * an empty aggregate (no hessian mass at the intercept), no step.
 */
function stepInputs(settings: ModelSettings, mean: Float32Array, size: number): { mass: Float64Array | null; raw: Float64Array } {
  const mass = new Float64Array(size);
  const raw = new Float64Array(size);
  if (usesMedianStep(settings)) {
    for (let s = 0; s < size; s++) for (let k = 0; k < RESIDUAL_BUCKETS; k++) mass[s]! += Math.max(0, mean[k * size + s]!);
    if (!(mass[0]! > 0)) return { mass: null, raw };
    raw[0] = bucketMedian(mean, 0, size);
    for (let s = 1; s < size; s++) if (mass[s]! > 0) raw[s] = bucketMedian(mean, s, size) - raw[0]!;
    return { mass, raw };
  }
  return newtonInputs(mean, 0, (s) => mean[size + s]!, size);
}

/**
 * Noise stds of its mass estimate a slot's mass must exceed to step under DP noise (chosen on SoccerMon readiness
 * validation days over z = 0.003-1, docs/models.md). Only for losses whose hessian mass is the slot's share of days
 * (not the logistic loss, whose p(1 - p) mass sinks under any such floor as the model fits: see noiseFloorStd).
 */
export const NOISE_FLOOR_SDS = 6;

/** The DP noise std the mass floor reads: the noise's, except for the logistic loss (not floored; docs/models.md). */
export function noiseFloorStd(settings: ModelSettings, noiseStd: number): number {
  return settings.loss === 'logistic' || !(noiseStd > 0) ? 0 : noiseStd;
}

/** The step inputs with every slot whose mass is within NOISE_FLOOR_SDS x `massNoiseStd` of 0 emptied (no intercept mass: no step). */
function aboveNoise(inputs: { mass: Float64Array | null; raw: Float64Array }, massNoiseStd: number): { mass: Float64Array | null; raw: Float64Array } {
  const { mass, raw } = inputs;
  if (!mass || !(massNoiseStd > 0)) return inputs;
  const floor = NOISE_FLOOR_SDS * massNoiseStd;
  if (!(mass[0]! > floor)) return { mass: null, raw };
  for (let s = 1; s < mass.length; s++) {
    if (mass[s]! > floor) continue;
    mass[s] = 0;
    raw[s] = 0;
  }
  return { mass, raw };
}

/** The Newton step's inputs from a gradient row mean[from .. from + size) and each slot's hessian mass. */
function newtonInputs(mean: Float32Array, from: number, hessian: (slot: number) => number, size: number): { mass: Float64Array | null; raw: Float64Array } {
  const mass = new Float64Array(size);
  const raw = new Float64Array(size);
  const h0 = hessian(0);
  if (!(h0 > 0)) return { mass: null, raw };
  mass[0] = h0;
  raw[0] = -mean[from]! / h0;
  for (let s = 1; s < size; s++) {
    const h = Math.max(0, hessian(s));
    mass[s] = h;
    if (h > 0) raw[s] = -(mean[from + s]! - h * (mean[from]! / h0)) / h;
  }
  return { mass, raw };
}

/** Step of histogram bins 1..count-1 (slot 0 is the missing bin) averaged with each neighbour at weight `k`, hessian-weighted. */
function smoothInPlace(step: Float64Array, mass: Float64Array, from: number, count: number, k: number): void {
  let previous = step[1]!;
  for (let b = 1; b < count; b++) {
    let num = (mass[from + b]! + EMPTY_BIN_WEIGHT) * step[b]!;
    let den = mass[from + b]! + EMPTY_BIN_WEIGHT;
    if (b > 1) {
      const w = k * (mass[from + b - 1]! + EMPTY_BIN_WEIGHT);
      num += w * previous;
      den += w;
    }
    if (b < count - 1) {
      const w = k * (mass[from + b + 1]! + EMPTY_BIN_WEIGHT);
      num += w * step[b + 1]!;
      den += w;
    }
    previous = step[b]!;
    step[b] = num / den;
  }
}
