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

/** An enrolled client id as `randomId('cl')` makes them. */
const ENROLLED_ID = /\bcl_[A-Za-z0-9_-]{22}\b/g;

/** The engine's reason text with every participant id replaced (e.g. "shares revealed for cl_x" -> "for a client"). */
export function withoutClientIds(reason: string, ids: readonly string[]): string {
  let text = reason;
  for (const id of [...new Set(ids)].filter((i) => i.length > 0).sort((a, b) => b.length - a.length)) text = text.split(id).join('a client');
  return text.replace(ENROLLED_ID, 'a client');
}

export function publicRound(r: RoundRecord): PublicRound {
  return {
    task: r.task,
    round: r.round,
    roundId: r.roundId,
    status: r.status,
    reason: r.reason === null ? null : withoutClientIds(r.reason, [...r.selected, ...r.reported, ...r.dropped]),
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
