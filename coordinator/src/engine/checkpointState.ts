import { z } from 'zod';
import type { TaskId } from '@huddle/shared/model';
import type { TaskRuntime } from './rounds/taskRuntime.ts';

/**
 * What a task's checkpoint keeps besides the weights, so that a restarted coordinator, or a node taking over as
 * leader, carries on as the one before would have: the server optimizer's state, the clip bound, the recent rounds'
 * aggregates the median step reads, and who the current selection pass has chosen. Older checkpoints lack the last
 * two; they then start afresh.
 */
const checkpointStateSchema = z.object({
  optimizer: z.unknown().optional(),
  clip: z.number().finite().positive().optional(),
  recent: z.array(z.array(z.number().finite())).optional(),
  pass: z.array(z.string().min(1)).optional(),
});

export type CheckpointState = { optimizer: unknown; clip: number; recent: number[][]; pass: string[] };

export function checkpointStateOf(t: Pick<TaskRuntime, 'strategy' | 'clip' | 'model' | 'pass'>): CheckpointState {
  return { optimizer: t.strategy.optimizer.state(), clip: t.clip, recent: t.model.recent.state(), pass: [...t.pass] };
}

/** The state of a checkpoint read from the store; a malformed one is refused with what is wrong (the store is not edited). */
export function readCheckpointState(task: TaskId, raw: unknown, defaultClip: number): CheckpointState {
  const parsed = checkpointStateSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`the checkpoint of ${task} has a malformed state: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'state'}: ${i.message}`).join('; ')}`);
  const s = parsed.data;
  return { optimizer: s.optimizer ?? null, clip: s.clip ?? defaultClip, recent: s.recent ?? [], pass: s.pass ?? [] };
}
