/** Days before today that form the HRV and resting-HR baselines, and the fewest measurements that make one. */
export const PHYSIO_BASELINE_DAYS = 7;
export const MIN_PHYSIO_BASELINE_VALUES = 3;

/**
 * Day t of an RMSSD series (ms; null = no measurement): ln(rmssd_t) minus the mean of ln(rmssd) over days t-7..t-1.
 * Null when day t has no measurement or the 7 days before hold fewer than MIN_PHYSIO_BASELINE_VALUES.
 */
export function lnRmssdDelta(rmssd: readonly (number | null)[], t: number): number | null {
  return deltaFromBaseline(rmssd, t, Math.log);
}

/** Day t of a resting-HR series (bpm) minus its mean over days t-7..t-1; null under the same conditions as `lnRmssdDelta`. */
export function restingHrDelta(restingHr: readonly (number | null)[], t: number): number | null {
  return deltaFromBaseline(restingHr, t, (v) => v);
}

function deltaFromBaseline(series: readonly (number | null)[], t: number, transform: (v: number) => number): number | null {
  const today = series[t];
  if (today === null || today === undefined || !(today > 0)) return null;
  let count = 0;
  let total = 0;
  for (let i = Math.max(0, t - PHYSIO_BASELINE_DAYS); i < t; i++) {
    const v = series[i];
    if (v === null || v === undefined || !(v > 0)) continue;
    count++;
    total += transform(v);
  }
  return count < MIN_PHYSIO_BASELINE_VALUES ? null : transform(today) - total / count;
}
