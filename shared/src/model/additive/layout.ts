import { FEATURE_BINS, MISSING_FLAG_OF } from '../../features/feature-bins.ts';
import { FEATURE_COUNT, FEATURE_NAMES, featureIndex, type FeatureName } from '../../features/feature-catalog.ts';
import { learnsMeanForecast, usesMedianStep, type ModelSettings } from '../settings.ts';
import type { WeightEntry } from '../spec.ts';
import { RESIDUAL_BUCKETS } from './residualBuckets.ts';

/**
 * Flat layout of the additive model. values[0] is the intercept; feature j owns values[offset[j] .. offset[j] + bins[j]),
 * whose first slot is its "missing" bin (used only by features with a missing flag) and the rest its histogram bins.
 * The parameter vector is [served, iterate], each such a values vector: the rounds step the iterate, and the served
 * model, what predictions and explanations use, is its exponential moving average (equal to it when the task's
 * `averaging` is 0). A client's contribution has the same length:
 * [G, H], per slot the summed gradient and hessian of its training days, divided by its day count. A task that learns
 * the mean forecast (`meanForecast`) holds a second such model, the mean head, after the first: [served, iterate,
 * mean served, mean iterate].
 * After the features come the pair terms (GA2M-style): for each pair, PAIR_CELLS x PAIR_CELLS cells over the two
 * features' histogram bins merged into PAIR_CELLS coarse groups. They are learned only when a task's settings ask for
 * them (`pairTerms`); otherwise they stay 0 and score nothing.
 */
/** Pair terms, chosen on validation days: today's readiness against the athlete's usual, by today's load. Neither is monotone-constrained. */
export const PAIR_TERMS: readonly (readonly [FeatureName, FeatureName])[] = [['readiness_z', 'load_today']];
/** Coarse groups per feature of a pair term. */
export const PAIR_CELLS = 8;

export interface AdditiveLayout {
  features: number;
  offset: Int32Array;
  /** Slots per feature, the missing slot included. */
  bins: Int32Array;
  /** Slots of values (intercept + every feature's bins); the parameter vector has 2 x size entries. */
  size: number;
  /** Feature index of the missing flag routing each feature to its missing slot, or -1. */
  missingFlag: Int32Array;
  /** Features whose information another feature's missing slot carries (the flags): never updated. */
  absorbed: Uint8Array;
  /** Feature indexes of each pair term: [a0, b0, a1, b1, ...]. */
  pairs: Int32Array;
  /** Slot of the first cell of the first pair term. */
  pairOffset: number;
}

let cached: AdditiveLayout | null = null;

export function additiveLayout(): AdditiveLayout {
  if (cached) return cached;
  const offset = new Int32Array(FEATURE_COUNT);
  const bins = new Int32Array(FEATURE_COUNT);
  const missingFlag = new Int32Array(FEATURE_COUNT).fill(-1);
  const absorbed = new Uint8Array(FEATURE_COUNT);
  let at = 1;
  FEATURE_NAMES.forEach((name, j) => {
    offset[j] = at;
    bins[j] = FEATURE_BINS[j]!.count + 1;
    at += bins[j]!;
    const flag = MISSING_FLAG_OF[name];
    if (flag) {
      missingFlag[j] = featureIndex(flag);
      absorbed[featureIndex(flag)] = 1;
    }
  });
  const pairs = Int32Array.from(PAIR_TERMS.flatMap(([a, b]) => [featureIndex(a), featureIndex(b)]));
  for (const j of pairs) if (missingFlag[j]! >= 0 || absorbed[j]) throw new Error(`pair term feature ${FEATURE_NAMES[j]} has a missing flag`);
  const pairOffset = at;
  at += PAIR_TERMS.length * PAIR_CELLS * PAIR_CELLS;
  cached = { features: FEATURE_COUNT, offset, bins, size: at, missingFlag, absorbed, pairs, pairOffset };
  return cached;
}

/**
 * Layout of a client's contribution: per slot [G, H], or with the median step one count per residual bucket; with the
 * mean forecast one more row, the squared loss's gradient of the mean forecast (its hessian is the day count, which
 * the rows before already carry).
 */
export function additiveContributionManifest(settings: ModelSettings): WeightEntry[] {
  const { size } = additiveLayout();
  const base = usesMedianStep(settings)
    ? Array.from({ length: RESIDUAL_BUCKETS }, (_, k) => ({ name: `additive/residual-bucket-${k}`, shape: [size] }))
    : [
        { name: 'additive/gradients', shape: [size] },
        { name: 'additive/hessians', shape: [size] },
      ];
  return learnsMeanForecast(settings) ? [...base, { name: 'additive/mean-gradients', shape: [size] }] : base;
}

/** The parameter vector: [served, iterate], and with the mean forecast its own [served, iterate] after them. */
export function additiveManifest(meanForecast = false): WeightEntry[] {
  const { size } = additiveLayout();
  const median = [
    { name: 'additive/values', shape: [size] },
    { name: 'additive/iterate', shape: [size] },
  ];
  return meanForecast ? [...median, { name: 'additive/mean-values', shape: [size] }, { name: 'additive/mean-iterate', shape: [size] }] : median;
}

/** Slot (absolute index into values) of feature j for the day vector starting at x[at]. */
export function slotOf(layout: AdditiveLayout, j: number, x: ArrayLike<number>, at: number): number {
  const flag = layout.missingFlag[j]!;
  if (flag >= 0 && x[at + flag]! >= 0.5) return layout.offset[j]!;
  const b = FEATURE_BINS[j]!;
  const v = x[at + j]!;
  const k = Math.floor(((v - b.lo) / (b.hi - b.lo)) * b.count);
  return layout.offset[j]! + 1 + Math.min(b.count - 1, Math.max(0, Number.isFinite(k) ? k : 0));
}

/** Slots of every feature for n day vectors (row-major, F values each): n x F absolute indexes. */
export function slotsOf(x: ArrayLike<number>, n: number): Int32Array {
  const layout = additiveLayout();
  const F = layout.features;
  const out = new Int32Array(n * F);
  for (let r = 0; r < n; r++) for (let j = 0; j < F; j++) out[r * F + j] = slotOf(layout, j, x, r * F);
  return out;
}

/** Coarse group (0..PAIR_CELLS-1) of feature j's histogram slot. */
function coarseOf(layout: AdditiveLayout, j: number, slot: number): number {
  const bin = slot - layout.offset[j]! - 1;
  return Math.min(PAIR_CELLS - 1, Math.max(0, Math.floor((bin * PAIR_CELLS) / (layout.bins[j]! - 1))));
}

/** Slot of pair term p's cell for the day vector starting at x[at]. */
export function pairSlotOf(layout: AdditiveLayout, p: number, x: ArrayLike<number>, at: number): number {
  const a = layout.pairs[2 * p]!;
  const b = layout.pairs[2 * p + 1]!;
  return layout.pairOffset + p * PAIR_CELLS * PAIR_CELLS + coarseOf(layout, a, slotOf(layout, a, x, at)) * PAIR_CELLS + coarseOf(layout, b, slotOf(layout, b, x, at));
}
