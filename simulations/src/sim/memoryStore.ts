import type { CoordinatorStore, RoundRecord, TaskCheckpoint } from '@huddle/coordinator';
import type { TaskId } from '@huddle/shared/model';

/** Coordinator state kept in memory: a simulation needs no durability. */
export class MemoryStore implements CoordinatorStore {
  private readonly checkpoints = new Map<TaskId, TaskCheckpoint>();
  private readonly records = new Map<TaskId, RoundRecord[]>();

  loadCheckpoint(task: TaskId): TaskCheckpoint | null {
    return this.checkpoints.get(task) ?? null;
  }

  initCheckpoint(checkpoint: TaskCheckpoint): void {
    this.checkpoints.set(checkpoint.task, checkpoint);
  }

  commitRound(record: RoundRecord, checkpoint: TaskCheckpoint | null): void {
    const list = this.records.get(record.task) ?? [];
    list.push(record);
    this.records.set(record.task, list);
    if (checkpoint) this.checkpoints.set(checkpoint.task, checkpoint);
  }

  history(task: TaskId): RoundRecord[] {
    return [...(this.records.get(task) ?? [])];
  }

  close(): void {}
}
