import { z } from 'zod';
import { HISTOGRAM_BINS, histogramBin } from './scoreHistogram.ts';

/**
 * The injury forecast's interval. The federation's held-out days, counted per predicted-risk bin and by outcome
 * (sums over athletes, noised under DP), say how often a forecast like this one was followed by an injury.
 */
export const riskCalibrationSchema = z.object({
  positives: z.array(z.number().int().nonnegative()).length(HISTOGRAM_BINS),
  negatives: z.array(z.number().int().nonnegative()).length(HISTOGRAM_BINS),
  /** Std of the DP noise on each count (0 without DP). */
  noiseStd: z.number().nonnegative(),
});
export type RiskCalibration = z.infer<typeof riskCalibrationSchema>;

export interface ObservedRisk {
  /** The band of forecasts pooled: [fromRisk, toRisk). */
  fromRisk: number;
  toRisk: number;
  days: number;
  positives: number;
  rate: number;
  low: number;
  high: number;
  level: 0.95;
}

/** A band is widened, one bin each side at a time, until it holds at least this many days and days with an injury. */
export const OBSERVED_RISK_MIN_DAYS = 100;
export const OBSERVED_RISK_MIN_POSITIVES = 10;

const Z = 1.959964;

/** Wilson's score interval for k of n, widened in quadrature by the DP noise on k and n (delta method). */
export function wilsonInterval(k: number, n: number, noiseVarK = 0, noiseVarN = 0): { low: number; high: number } {
  const p = k / n;
  const centre = (p + (Z * Z) / (2 * n)) / (1 + (Z * Z) / n);
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / (1 + (Z * Z) / n);
  const noiseHalf = (Z * Math.sqrt(noiseVarK + p * p * noiseVarN)) / n;
  const h = Math.hypot(half, noiseHalf);
  return { low: Math.max(0, centre - h), high: Math.min(1, centre + h) };
}

/**
 * How often held-out days with a forecast near `risk` were followed by an injury, with its 95% interval; null when
 * the whole histogram holds too few days or injuries. Days count as independent draws, so the interval is narrower
 * than one bootstrapped over athletes would be.
 */
export function observedRiskNear(c: RiskCalibration, risk: number): ObservedRisk | null {
  const centre = histogramBin(risk);
  let lo = centre;
  let hi = centre;
  const sum = (xs: readonly number[]) => xs.slice(lo, hi + 1).reduce((a, b) => a + b, 0);
  for (;;) {
    const positives = sum(c.positives);
    const days = positives + sum(c.negatives);
    const enough = days >= OBSERVED_RISK_MIN_DAYS && positives >= OBSERVED_RISK_MIN_POSITIVES;
    if (enough || (lo === 0 && hi === HISTOGRAM_BINS - 1)) {
      if (!enough) return null;
      const bins = hi - lo + 1;
      const v = c.noiseStd * c.noiseStd * bins;
      const { low, high } = wilsonInterval(positives, days, v, 2 * v);
      return { fromRisk: lo / HISTOGRAM_BINS, toRisk: (hi + 1) / HISTOGRAM_BINS, days, positives, rate: positives / days, low, high, level: 0.95 };
    }
    lo = Math.max(0, lo - 1);
    hi = Math.min(HISTOGRAM_BINS - 1, hi + 1);
  }
}
