import { FEATURE_BINS, MISSING_FLAG_OF } from '../../features/feature-bins.ts';
import { FEATURE_COUNT, FEATURE_NAMES, featureIndex } from '../../features/feature-catalog.ts';
import type { WeightEntry } from '../spec.ts';

/**
 * Flat layout of the additive model. values[0] is the intercept; feature j owns values[offset[j] .. offset[j] + bins[j]),
 * whose first slot is its "missing" bin (used only by features with a missing flag) and the rest its histogram bins.
 * The parameter vector is [served, iterate], each such a values vector: the rounds step the iterate, and the served
 * model, what predictions and explanations use, is its exponential moving average (equal to it when the task's
 * `averaging` is 0). A client's contribution has the same length:
 * [G, H], per slot the summed gradient and hessian of its training days, divided by its day count.
 */
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
  cached = { features: FEATURE_COUNT, offset, bins, size: at, missingFlag, absorbed };
  return cached;
}

export function additiveManifest(): WeightEntry[] {
  const { size } = additiveLayout();
  return [
    { name: 'additive/values', shape: [size] },
    { name: 'additive/iterate', shape: [size] },
  ];
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
