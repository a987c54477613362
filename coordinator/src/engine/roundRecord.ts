import type { TaskId } from '@huddle/shared/model';
import type { PublishedEvaluation } from '@huddle/shared/metrics';
import type { ModelVersion } from '@huddle/shared/protocol';

/** What the coordinator publishes with a model version: its validated quality and the federation's standing, both from sums only. */
export type { PublishedEvaluation };

export interface RoundMetrics {
  /** Example-weighted mean held-out loss over evaluating clients. */
  loss: number | null;
  evalExamples: number;
  evalClients: number;
  /** Held-out days with an injury in the next 7 days (binary tasks): how much evidence the AUC rests on. */
  positives?: number;
  auc?: number | null;
  prAuc?: number | null;
  brier?: number | null;
  mae?: number | null;
  rmse?: number | null;
}

/** What the coordinator keeps of a round: aggregates and pseudonymous client ids only. */
export interface RoundRecord {
  task: TaskId;
  round: number;
  roundId: string;
  status: 'completed' | 'abandoned';
  reason: string | null;
  startedAt: string;
  endedAt: string;
  selected: string[];
  reported: string[];
  dropped: string[];
  numExamples: number;
  trainLoss: number | null;
  metrics: RoundMetrics | null;
  /** Privacy spent through this round (cumulative epsilon at delta), null without DP noise. */
  privacy: { epsilon: number; delta: number; noiseMultiplier: number; samplingRate: number; clip: number } | null;
  secureAggregation: boolean;
  /** Completed rounds: the version of the model they committed (clients adopt exactly this). */
  model?: ModelVersion | null;
  /** Completed rounds: the quality and standing published with that model (null when nothing could be published). */
  published?: PublishedEvaluation | null;
}

/** The reason a round cut short by a coordinator crash is recorded with, by the engine and the store alike. */
export const CRASHED_ROUND_REASON = 'the coordinator stopped mid-round; the round was not counted';

/** Why a task whose model is complete (every tree built) opens no round: one would change nothing and could spend epsilon. */
export const MODEL_COMPLETE = 'model complete: every tree is built, so a round would change nothing (start a new task to train further)';
