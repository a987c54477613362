/** Days before today that form a wellness (and imputed-load) baseline. */
export const BASELINE_DAYS = 28;
/** Fewest reported values that make a personal baseline (fewer: no baseline, z = 0, imputation uses the scale's center). */
export const MIN_BASELINE_VALUES = 3;

export interface Baseline {
  mean: number;
  /** Sample SD (n - 1). */
  sd: number;
  count: number;
}

/** Mean and SD of the non-null values in values[from..to) (from is clipped at 0), or null with fewer than `minCount`. */
export function baselineOf(values: readonly (number | null)[], from: number, to: number, minCount = MIN_BASELINE_VALUES): Baseline | null {
  let count = 0;
  let total = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    count++;
    total += v;
  }
  if (count === 0 || count < minCount) return null;
  const mean = total / count;
  let squares = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) squares += (v - mean) ** 2;
  }
  return { mean, sd: count > 1 ? Math.sqrt(squares / (count - 1)) : 0, count };
}

/** (value - mean) / max(sd, sdFloor); 0 without a baseline. Not clamped. */
export function baselineZ(value: number, baseline: Baseline | null, sdFloor: number): number {
  if (baseline === null) return 0;
  return (value - baseline.mean) / Math.max(baseline.sd, sdFloor);
}
