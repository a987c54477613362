/**
 * Fixed feature scaling, derived from the log format's own scales (never fitted to a dataset), so every client scales
 * identically. A scaled feature is (value - center) / spread, clamped to [-FEATURE_LIMIT, FEATURE_LIMIT].
 * The wellness items' scales sit with the items, in wellness-items.ts.
 */
export const FEATURE_LIMIT = 3;

export interface LinearScale {
  center: number;
  spread: number;
}

/** Daily sRPE load (AU). Center: one moderate hour, RPE 5 x 60 min = 300 AU; 1500 AU (2.5 h at RPE 10) maps to +3. */
export const LOAD_SCALE: LinearScale = { center: 300, spread: 400 };
/** Load ratios (EWMA and rolling ACWR): 1 = steady maps to 0; 0.5 and 2.5 map to -1 and +3. */
export const RATIO_SCALE: LinearScale = { center: 1, spread: 0.5 };
/** Foster monotony: 1.5 (a varied week) maps to 0; 2 (Foster's "high") to 0.5; 4.5 and above clamp to +3. */
export const MONOTONY_SCALE: LinearScale = { center: 1.5, spread: 1 };
/** Foster strain (AU): 7 days x 300 AU x monotony ~1.5 ~= 3000 maps to 0; 9000 to +3. */
export const STRAIN_SCALE: LinearScale = { center: 3000, spread: 2000 };
/** lnRMSSD minus its 7-day baseline: a 0.1 change (~10%) is 1 unit. */
export const LN_RMSSD_DELTA_SCALE: LinearScale = { center: 0, spread: 0.1 };
/** Resting HR minus its 7-day baseline (bpm): 5 bpm is 1 unit. */
export const RESTING_HR_DELTA_SCALE: LinearScale = { center: 0, spread: 5 };

export function clampFeature(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.min(FEATURE_LIMIT, Math.max(-FEATURE_LIMIT, value));
}

export function scaled(value: number, scale: LinearScale): number {
  return clampFeature((value - scale.center) / scale.spread);
}
