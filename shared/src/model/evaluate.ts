import { histogramFromScores, type ScoreHistogram } from '../metrics/scoreHistogram.ts';
import { BCE_EPSILON } from './fastLoss.ts';
import type { ModelSpec } from './spec.ts';

export interface LocalEvaluation {
  numExamples: number;
  /** Sum of per-example training loss (on labels divided by labelScale). */
  sumLoss: number;
  summary:
    | ({ kind: 'binary' } & ScoreHistogram)
    | { kind: 'regression'; sumAbsError: number; sumSquaredError: number };
}

/**
 * Aggregate-only evaluation of predictions (label units) against labels: nothing per-example survives. `mean`, the
 * model's mean forecast when it learns one, is what the squared error scores (absolute error and the loss score
 * `predicted`).
 */
export function summarizePredictions(spec: ModelSpec, predicted: ArrayLike<number>, labels: ArrayLike<number>, mean: ArrayLike<number> | null = null): LocalEvaluation {
  const n = predicted.length;
  let sumLoss = 0;
  switch (spec.loss) {
    case 'binaryCrossentropy': {
      for (let i = 0; i < n; i++) {
        const p = Math.min(1 - BCE_EPSILON, Math.max(BCE_EPSILON, predicted[i]!));
        sumLoss += labels[i] === 1 ? -Math.log(p) : -Math.log(1 - p);
      }
      return { numExamples: n, sumLoss, summary: { kind: 'binary', ...histogramFromScores(predicted, labels) } };
    }
    case 'meanSquaredError': {
      let abs = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const e = predicted[i]! - labels[i]!;
        const m = mean ? mean[i]! - labels[i]! : e;
        abs += Math.abs(e);
        sq += m * m;
        sumLoss += (e / spec.labelScale) ** 2;
      }
      return { numExamples: n, sumLoss, summary: { kind: 'regression', sumAbsError: abs, sumSquaredError: sq } };
    }
  }
}
