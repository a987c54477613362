/** EWMA decay constants (Williams et al. 2017): lambda = 2 / (N + 1) for N = 7 (acute) and N = 28 (chronic) days. */
export const ACUTE_LAMBDA = 2 / 8;
export const CHRONIC_LAMBDA = 2 / 29;
/** Chronic load (AU/day) below which load ratios divide by this floor instead (~10 min at RPE 5 per day). */
export const CHRONIC_LOAD_FLOOR = 50;
/** Monotony of a week whose loads do not vary at all (SD 0, mean > 0); also the upper bound of any monotony. */
export const MONOTONY_CAP = 10;

/** EWMA series: ewma_t = lambda * load_t + (1 - lambda) * ewma_{t-1}, with ewma_{-1} = 0. */
export function ewma(loads: readonly number[], lambda: number): number[] {
  const out = new Array<number>(loads.length);
  let previous = 0;
  for (let t = 0; t < loads.length; t++) {
    previous = lambda * (loads[t] ?? 0) + (1 - lambda) * previous;
    out[t] = previous;
  }
  return out;
}

/** acute / chronic, with chronic floored at `floor` (AU/day) so a near-zero chronic load cannot explode the ratio; 0 when both are 0. */
export function loadRatio(acute: number, chronic: number, floor = CHRONIC_LOAD_FLOOR): number {
  const divisor = Math.max(chronic, floor);
  return divisor > 0 ? acute / divisor : 0;
}

/** The `length` values ending at index `end` (inclusive); indexes before 0 read as 0. */
export function trailingWindow(values: readonly number[], end: number, length: number): number[] {
  const out = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const index = end - length + 1 + i;
    out[i] = index >= 0 ? (values[index] ?? 0) : 0;
  }
  return out;
}

/** Coupled rolling ACWR at day t: mean of loads t-6..t over mean of loads t-27..t (days before the series read as 0). */
export function rollingAcwr(loads: readonly number[], t: number): number {
  return loadRatio(trailingSum(loads, t, 7) / 7, trailingSum(loads, t, 28) / 28);
}

/**
 * Foster monotony of a week of daily loads: mean / sample SD (n - 1), at most MONOTONY_CAP.
 * A week with no load has monotony 0; a week of identical non-zero loads has MONOTONY_CAP.
 */
export function fosterMonotony(week: readonly number[]): number {
  const m = mean(week);
  if (m === 0) return 0;
  const sd = sampleSd(week, m);
  return sd === 0 ? MONOTONY_CAP : Math.min(m / sd, MONOTONY_CAP);
}

/** Foster strain: the week's total load x its monotony. */
export function fosterStrain(week: readonly number[]): number {
  return sum(week) * fosterMonotony(week);
}

function trailingSum(values: readonly number[], end: number, length: number): number {
  let total = 0;
  for (let i = Math.max(0, end - length + 1); i <= end; i++) total += values[i] ?? 0;
  return total;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}

function sampleSd(values: readonly number[], m: number): number {
  if (values.length < 2) return 0;
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
