import type { TaskId } from '@huddle/shared/model';
import type { RoundRecord } from '../../src/engine/roundRecord.ts';
import type { TaskCheckpoint } from '../../src/store/store.ts';

export function checkpoint(task: TaskId, round: number, weights: number[], optimizerState: unknown = null): TaskCheckpoint {
  return { task, round, weights: Float32Array.from(weights), optimizerState };
}

export function completedRound(task: TaskId, round: number, ids = ['cl_a', 'cl_b', 'cl_c']): RoundRecord {
  return {
    task,
    round,
    roundId: `${task}-${round}-${Math.random().toString(16).slice(2, 10)}`,
    status: 'completed',
    reason: null,
    startedAt: new Date(1_700_000_000_000 + round * 60_000).toISOString(),
    endedAt: new Date(1_700_000_030_000 + round * 60_000).toISOString(),
    selected: ids,
    reported: ids.slice(0, -1),
    dropped: ids.slice(-1),
    numExamples: 420,
    trainLoss: 0.5 / round,
    metrics: { loss: 0.6 / round, evalExamples: 100, evalClients: 2, auc: 0.6 + round / 100 },
    privacy: null,
    secureAggregation: false,
  };
}

export function abandonedRound(task: TaskId, round: number): RoundRecord {
  return { ...completedRound(task, round, []), status: 'abandoned', reason: 'too few clients', numExamples: 0, trainLoss: null, metrics: null };
}
