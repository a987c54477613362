import type { TaskId } from '@huddle/shared/model';
import type { Coordinator } from './coordinator.ts';
import type { RoundRecord } from './roundRecord.ts';

export interface ScheduleOptions {
  tasks: TaskId[];
  /** Completed rounds to reach per task (counting rounds done before a restart); Infinity = forever. */
  rounds: number;
  /** Pause between rounds, and before retrying when too few clients are connected. */
  idleMs: number;
  signal?: AbortSignal;
  onRound?: (record: RoundRecord) => void;
}

/** Runs the tasks' rounds in turn until each has completed `rounds` rounds or the signal aborts. */
export async function runSchedule(coordinator: Coordinator, options: ScheduleOptions): Promise<void> {
  const pending = new Set(options.tasks.filter((t) => coordinator.taskState(t).round < options.rounds));
  while (pending.size > 0 && !options.signal?.aborted) {
    for (const task of [...pending]) {
      if (options.signal?.aborted) return;
      const { config } = coordinator.taskState(task);
      if (coordinator.registry.idleFor(task).length < config.minClients) continue;
      const record = await coordinator.runRound(task);
      options.onRound?.(record);
      if (coordinator.taskState(task).round >= options.rounds) pending.delete(task);
    }
    await new Promise((r) => setTimeout(r, options.idleMs));
  }
}
