import { monotoneDirections } from '../../features/feature-directions.ts';
import type { TaskId } from '../spec.ts';
import { usesMedianStep, type ModelSettings } from '../settings.ts';
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

export function additiveParameterCount(): number {
  return 2 * additiveLayout().size;
}

/** Round 0: every shape function flat at 0, intercept 0 (the 'change' target starts as persistence). */
export function initialAdditive(): Float32Array {
  return new Float32Array(additiveParameterCount());
}

/**
 * A parameter vector saved before the pair terms existed ([served, iterate] without pair cells) gets them, at 0, in
 * both halves: the model predicts exactly as before. Any other length is returned as it is (and checked where used).
 */
export function resumeAdditive(params: Float32Array): Float32Array {
  const layout = additiveLayout();
  const before = layout.pairOffset;
  if (params.length !== 2 * before || before === layout.size) return params;
  const out = new Float32Array(2 * layout.size);
  out.set(params.subarray(0, before), 0);
  out.set(params.subarray(before), layout.size);
  return out;
}

function pairCount(layout: AdditiveLayout): number {
  return layout.pairs.length / 2;
}

function checkParams(params: ArrayLike<number>, layout: AdditiveLayout): void {
  if (params.length !== 2 * layout.size) throw new RangeError(`the additive model has ${2 * layout.size} parameters, got ${params.length}`);
}

/** Raw scores (before the reference or the sigmoid) of n day vectors, by the served model (the first half). */
export function additiveScores(params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const layout = additiveLayout();
  checkParams(params, layout);
  const F = layout.features;
  if (x.length < n * F) throw new RangeError(`need ${n * F} feature values, got ${x.length}`);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = params[0]!;
    for (let j = 0; j < F; j++) if (!layout.absorbed[j]) s += params[slotOf(layout, j, x, r * F)]!;
    for (let p = 0; p < pairCount(layout); p++) s += params[pairSlotOf(layout, p, x, r * F)]!;
    out[r] = s;
  }
  return out;
}

/** Predictions in label units: readiness points, or injury probability. */
export function additivePredict(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, n: number): Float32Array {
  const scores = additiveScores(params, x, n);
  const F = additiveLayout().features;
  const out = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    out[r] = settings.loss === 'logistic' ? 1 / (1 + Math.exp(-scores[r]!)) : targetReference(task, settings, x, r * F) + scores[r]!;
  }
  return out;
}

/** Statistics a client sends per slot: [G, H], or with the median step one count per residual bucket. */
export function contributionStats(settings: ModelSettings): number {
  return usesMedianStep(settings) ? RESIDUAL_BUCKETS : 2;
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
  checkParams(params, layout);
  const { size, features: F } = layout;
  const n = data.n;
  const iterate = iterateOffset(settings, size);
  const median = usesMedianStep(settings);
  const acc = new Float64Array(contributionStats(settings) * size);
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
 * The sum may carry DP noise: negative hessians are read as 0.
 */
/**
 * Where the latest iterate starts. Without averaging the served model is the iterate, so the first half is read: a
 * checkpoint saved before averaging existed ([values, per-bin mass]) then resumes exactly as it was trained.
 */
function iterateOffset(settings: ModelSettings, size: number): number {
  return (settings.averaging ?? 0) > 0 ? size : 0;
}

export function applyAdditiveAggregate(task: TaskId, settings: ModelSettings, params: Float32Array, mean: Float32Array): Float32Array {
  const layout = additiveLayout();
  checkParams(params, layout);
  const { size, features: F } = layout;
  const stats = contributionStats(settings);
  if (mean.length !== stats * size) throw new RangeError(`the additive model's aggregate has ${stats * size} values, got ${mean.length}`);
  const out = Float32Array.from(params);
  const { mass, raw } = stepInputs(settings, mean, size);
  if (!mass) return out;
  const h0 = mass[0]!;
  const values = new Float64Array(size);
  const iterate = iterateOffset(settings, size);
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
    out[size + s] = values[s]!;
    out[s] = keep * out[s]! + (1 - keep) * values[s]!;
  }
  return out;
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
  const h0 = mean[size]!;
  if (!(h0 > 0)) return { mass: null, raw };
  mass[0] = h0;
  raw[0] = -mean[0]! / h0;
  for (let s = 1; s < size; s++) {
    const h = Math.max(0, mean[size + s]!);
    mass[s] = h;
    if (h > 0) raw[s] = -(mean[s]! - h * (mean[0]! / h0)) / h;
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
