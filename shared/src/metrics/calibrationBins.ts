export interface CalibrationBin {
  /** 0-based bin index, lowest predicted risk first. */
  bin: number;
  count: number;
  /** NaN for an empty bin. */
  meanPredicted: number;
  /** Fraction of positives; NaN for an empty bin. */
  observedRate: number;
}

/**
 * `quantile` (default): bins of (nearly) equal count by rank of predicted risk, i.e. deciles for 10 bins;
 * sample i of n sorted ascending goes to bin floor(i * bins / n), except that a run of tied predictions
 * stays whole in the bin of its first member. `uniform`: equal-width bins over [0, 1].
 */
export type CalibrationStrategy = 'quantile' | 'uniform';

export interface CalibrationOptions {
  bins?: number;
  strategy?: CalibrationStrategy;
}

export function checkBinCount(bins: number): number {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  return bins;
}

export function tableFromSums(count: Float64Array, sumPredicted: Float64Array, positives: Float64Array): CalibrationBin[] {
  return Array.from(count, (c, bin) => ({
    bin,
    count: c,
    meanPredicted: c === 0 ? NaN : sumPredicted[bin]! / c,
    observedRate: c === 0 ? NaN : positives[bin]! / c,
  }));
}

/**
 * Index of p in `bins` equal-width bins over [0, 1] (the last includes 1). p * bins is first rounded
 * to 1e-9 so that e.g. 0.29 lands in bin 29 of 100 although 0.29 * 100 < 29 in floating point.
 */
export function uniformBin(p: number, bins: number): number {
  return Math.min(Math.floor(Math.round(p * bins * 1e9) / 1e9), bins - 1);
}
