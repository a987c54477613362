import { aucFromHistogram, averagePrecisionFromHistogram, sumHistograms } from '@huddle/shared/metrics';
import type { EvalSummary } from '@huddle/shared/protocol';
import type { RoundMetrics } from './roundRecord.ts';

export interface EvalOutcome {
  numExamples: number;
  sumLoss: number;
  summary: EvalSummary;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Combines clients' evaluation summaries; only these aggregates are kept. */
export function aggregateEvaluation(outcomes: readonly EvalOutcome[]): RoundMetrics {
  const withData = outcomes.filter((o) => o.numExamples > 0);
  const n = withData.reduce((s, o) => s + o.numExamples, 0);
  const metrics: RoundMetrics = {
    loss: n > 0 ? withData.reduce((s, o) => s + o.sumLoss, 0) / n : null,
    evalExamples: n,
    evalClients: withData.length,
  };
  const binary = withData.flatMap((o) => (o.summary.kind === 'binary' ? [o.summary] : []));
  const regression = withData.flatMap((o) => (o.summary.kind === 'regression' ? [o.summary] : []));
  if (binary.length > 0) {
    const total = sumHistograms(binary);
    metrics.positives = total.positives.reduce((a, b) => a + b, 0);
    metrics.auc = finiteOrNull(aucFromHistogram(total));
    metrics.prAuc = finiteOrNull(averagePrecisionFromHistogram(total));
  }
  if (regression.length > 0 && n > 0) {
    const abs = regression.reduce((s, r) => s + r.sumAbsError, 0);
    const sq = regression.reduce((s, r) => s + r.sumSquaredError, 0);
    metrics.mae = abs / n;
    metrics.rmse = Math.sqrt(sq / n);
  }
  return metrics;
}
