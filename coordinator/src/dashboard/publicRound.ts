import type { RoundMetrics, RoundRecord } from '../engine/roundRecord.ts';

/** A round as analysts and the dashboard see it: counts of participants, never their ids. */
export interface PublicRound {
  task: RoundRecord['task'];
  round: number;
  roundId: string;
  status: RoundRecord['status'];
  reason: string | null;
  startedAt: string;
  endedAt: string;
  selected: number;
  reported: number;
  dropped: number;
  numExamples: number;
  trainLoss: number | null;
  metrics: RoundMetrics | null;
  privacy: RoundRecord['privacy'];
  secureAggregation: boolean;
}

export function publicRound(r: RoundRecord): PublicRound {
  return {
    task: r.task,
    round: r.round,
    roundId: r.roundId,
    status: r.status,
    reason: r.reason,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    selected: r.selected.length,
    reported: r.reported.length,
    dropped: r.dropped.length,
    numExamples: r.numExamples,
    trainLoss: r.trainLoss,
    metrics: r.metrics,
    privacy: r.privacy ?? null,
    secureAggregation: r.secureAggregation ?? false,
  };
}
