import { baselineOf } from './personal-baseline.ts';

/** Days before today that form the HRV and resting-HR baselines, and the fewest measurements that make one. */
export const PHYSIO_BASELINE_DAYS = 7;
export const MIN_PHYSIO_BASELINE_VALUES = 3;

/**
 * ln(rmssd today) - mean of ln(rmssd) over `previous` (the days before today; nulls are days without a measurement).
 * Null when today is missing or fewer than MIN_PHYSIO_BASELINE_VALUES previous measurements exist.
 */
export function lnRmssdDelta(today: number | null, previous: readonly (number | null)[]): number | null {
  if (today === null || !(today > 0)) return null;
  return deltaFromBaseline(Math.log(today), previous.map((v) => (v !== null && v > 0 ? Math.log(v) : null)));
}

/** Resting HR today minus its mean over `previous`; null under the same conditions as `lnRmssdDelta`. */
export function restingHrDelta(today: number | null, previous: readonly (number | null)[]): number | null {
  if (today === null || !Number.isFinite(today)) return null;
  return deltaFromBaseline(today, previous.map((v) => (v !== null && Number.isFinite(v) ? v : null)));
}

function deltaFromBaseline(today: number, previous: readonly (number | null)[]): number | null {
  const baseline = baselineOf(previous, 0, previous.length, MIN_PHYSIO_BASELINE_VALUES);
  return baseline === null ? null : today - baseline.mean;
}
