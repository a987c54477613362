import { z } from 'zod';
import type { EvaluationSums } from '../aggregation/evaluationVector.ts';
import { riskCalibrationSchema } from './observedRisk.ts';

/** Readiness standing bins: the athlete's mean readiness over its last 28 logged days, rounded to 0..10. */
export const STANDING_READINESS_BINS = 11;
/** Weekly load standing: sRPE load summed over the last 7 days, in bins [0, 500), [500, 1000), ... [5000, inf). */
export const STANDING_LOAD_EDGES = [0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000] as const;

/**
 * The validated quality the coordinator publishes with a model version, computed only from sums over athletes: each
 * athlete's own mean held-out error of the model and of its heuristic, their paired difference, with 95% t-intervals
 * across athletes (each athlete counts once). Under DP the known noise variance is added to each interval.
 */

const estimateSchema = z.object({ value: z.number(), lo: z.number(), hi: z.number() });
export type Estimate = z.infer<typeof estimateSchema>;

export const publishedQualitySchema = z.object({
  /** Brier score (injury) or MAE in readiness points (readiness): lower is better. */
  metric: z.enum(['Brier score', 'MAE']),
  heuristic: z.enum(['own injury rate', 'persistence']),
  /** Athletes whose held-out days the figures rest on, and those days (injury: days followed by an injury, athletes with one). */
  athletes: z.number().int().nonnegative(),
  days: z.number().int().nonnegative(),
  positives: z.number().int().nonnegative().optional(),
  positiveAthletes: z.number().int().nonnegative().optional(),
  model: estimateSchema,
  reference: estimateSchema,
  /** model - heuristic, paired by athlete. */
  difference: estimateSchema,
  /** better: the paired interval lies wholly below 0 (the model's favour); worse: above; else inconclusive. */
  verdict: z.enum(['better', 'worse', 'inconclusive']),
  /** Readiness: sqrt(summed squared error / days), the spread a forecast's 95% interval uses. */
  rmse: z.number().nonnegative().optional(),
  /** Injury: held-out days per predicted-risk bin and outcome, from which a forecast's interval follows (observedRisk.ts). */
  calibration: riskCalibrationSchema.optional(),
  /** DP noise on the sums (none, or added by the coordinator or the devices). */
  noise: z.enum(['none', 'central', 'distributed']),
});
export type PublishedQuality = z.infer<typeof publishedQualitySchema>;

/** Federation percentiles ("where you stand"): noisy counts of athletes per bin, never anyone's row. */
export const federationStandingSchema = z.object({
  athletes: z.number().int().nonnegative(),
  readiness: z.object({ bins: z.array(z.number()).length(STANDING_READINESS_BINS), counts: z.array(z.number().int().nonnegative()).length(STANDING_READINESS_BINS) }),
  load: z.object({ edges: z.array(z.number()).length(STANDING_LOAD_EDGES.length), counts: z.array(z.number().int().nonnegative()).length(STANDING_LOAD_EDGES.length) }),
  noise: z.enum(['none', 'central', 'distributed']),
});
export type FederationStanding = z.infer<typeof federationStandingSchema>;

/** Two-sided 95% Student t quantiles by degrees of freedom (1-30, then 40, 60, 120); beyond: the normal's 1.96. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
export function tQuantile975(df: number): number {
  if (df < 1) return Number.POSITIVE_INFINITY;
  if (df <= 30) return T975[Math.floor(df) - 1]!;
  return df < 40 ? 2.042 : df < 60 ? 2.021 : df < 120 ? 2.0 : 1.96;
}

/** Mean over m athletes from the sum and the sum of squares, with its t-interval (plus the noise's variance on the sum). */
export function meanInterval(sum: number, sumSq: number, m: number, noiseStd = 0, noiseStdSq = 0, noiseStdCount = 0): Estimate {
  const mean = sum / m;
  // Under DP the sum of squares is noisy too: take it 2 sigma high, so that noise cannot shrink the interval.
  const variance = Math.max(0, (sumSq + 2 * noiseStdSq - (sum * sum) / m) / (m - 1));
  // The noisy count m divides the noisy sum: delta method, Var(S/m) ~ (var_S + mean^2 var_m) / m^2.
  const se = Math.sqrt(variance / m + (noiseStd * noiseStd + mean * mean * noiseStdCount * noiseStdCount) / (m * m));
  const half = tQuantile975(m - 1) * se;
  return { value: mean, lo: mean - half, hi: mean + half };
}

/** Fewest athletes with a quality report before anything is published. */
export const MIN_QUALITY_ATHLETES = 3;

/** The published quality from the summed evaluation vector; null with fewer than MIN_QUALITY_ATHLETES rated athletes. */
export function publishedQuality(sums: EvaluationSums, noise: PublishedQuality['noise']): PublishedQuality | null {
  const q = sums.quality;
  const m = q.rated;
  if (m < MIN_QUALITY_ATHLETES) return null;
  const n = sums.qualityNoiseStd;
  const model = meanInterval(q.model, q.model2, m, n.model, n.model2, n.rated);
  const reference = meanInterval(q.heuristic, q.heuristic2, m, n.heuristic, n.heuristic2, n.rated);
  const difference = meanInterval(q.diff, q.diff2, m, n.diff, n.diff2, n.rated);
  const verdict = difference.hi < 0 ? 'better' : difference.lo > 0 ? 'worse' : 'inconclusive';
  const base = { athletes: m, days: sums.days, model, reference, difference, verdict, noise } as const;
  if (sums.summary.kind === 'binary') {
    const positives = Math.min(sums.days, sums.summary.positives.reduce((a, b) => a + b, 0));
    const calibration = { positives: sums.summary.positives, negatives: sums.summary.negatives, noiseStd: sums.histogramNoiseStd };
    return { ...base, metric: 'Brier score', heuristic: 'own injury rate', positives, positiveAthletes: sums.positiveAthletes, calibration };
  }
  const rmse = sums.days > 0 ? Math.sqrt(sums.summary.sumSquaredError / sums.days) : undefined;
  return { ...base, metric: 'MAE', heuristic: 'persistence', ...(rmse !== undefined ? { rmse } : {}) };
}

/** Fewest athletes behind a published standing. */
export const MIN_STANDING_ATHLETES = 5;

export function federationStanding(sums: EvaluationSums, noise: FederationStanding['noise']): FederationStanding | null {
  if (!sums.standing) return null;
  const athletes = sums.standing.readiness.reduce((a, b) => a + b, 0);
  if (athletes < MIN_STANDING_ATHLETES) return null;
  return {
    athletes,
    readiness: { bins: Array.from({ length: STANDING_READINESS_BINS }, (_, i) => i), counts: sums.standing.readiness },
    load: { edges: [...STANDING_LOAD_EDGES], counts: sums.standing.load },
    noise,
  };
}

/** Share of the federation's athletes in bins below `bin`, plus half of those in it (the mid-rank percentile). */
export function percentileOf(counts: readonly number[], bin: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0) || bin < 0 || bin >= counts.length) return null;
  let below = 0;
  for (let i = 0; i < bin; i++) below += counts[i]!;
  return Math.round((100 * (below + counts[bin]! / 2)) / total);
}

/** What the coordinator publishes with a model version (served in its model.json as `userDefinedMetadata.published`). */
export const publishedEvaluationSchema = z.object({
  model: z.object({ round: z.number().int().nonnegative(), checksum: z.string() }),
  quality: publishedQualitySchema.nullable(),
  standing: federationStandingSchema.nullable(),
});
export type PublishedEvaluation = z.infer<typeof publishedEvaluationSchema>;
