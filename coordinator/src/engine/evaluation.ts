import type { EvaluationSums } from '@huddle/shared/aggregation';
import { aucFromHistogram, averagePrecisionFromHistogram, federationStanding, publishedQuality, type FederationStanding, type PublishedQuality } from '@huddle/shared/metrics';
import type { RoundMetrics } from './roundRecord.ts';

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

export type EvaluationNoise = PublishedQuality['noise'];

/** What one round's federated evaluation yields: the round metrics, the quality published with the model, the standing. */
export interface EvaluationOutcome {
  metrics: RoundMetrics;
  quality: PublishedQuality | null;
  standing: FederationStanding | null;
}

export function emptyEvaluation(): EvaluationOutcome {
  return { metrics: { loss: null, evalExamples: 0, evalClients: 0 }, quality: null, standing: null };
}

/** Metrics from the summed evaluation vector; only these federation-wide figures are kept. */
export function evaluationOutcome(sums: EvaluationSums, noise: EvaluationNoise): EvaluationOutcome {
  const n = sums.days;
  const metrics: RoundMetrics = { loss: n > 0 ? sums.sumLoss / n : null, evalExamples: n, evalClients: sums.athletes };
  if (sums.summary.kind === 'binary') {
    // Under DP the counts are noisy; clamping is post-processing and costs no privacy.
    metrics.positives = Math.min(n, sums.summary.positives.reduce((a, b) => a + b, 0));
    metrics.auc = n > 0 ? finiteOrNull(aucFromHistogram(sums.summary)) : null;
    metrics.prAuc = n > 0 ? finiteOrNull(averagePrecisionFromHistogram(sums.summary)) : null;
  } else if (n > 0) {
    metrics.mae = Math.min(10, sums.summary.sumAbsError / n);
    metrics.rmse = Math.min(10, Math.sqrt(sums.summary.sumSquaredError / n));
  }
  return { metrics, quality: publishedQuality(sums, noise), standing: federationStanding(sums, noise) };
}
