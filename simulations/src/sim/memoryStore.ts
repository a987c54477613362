import type { CoordinatorStore, OpenRoundMarker, RoundRecord, TaskCheckpoint } from '@huddle/coordinator';
import type { TaskId } from '@huddle/shared/model';
import { createLedger, recordRound, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';

/** Coordinator state kept in memory: a simulation needs no durability. */
export class MemoryStore implements CoordinatorStore {
  private readonly checkpoints = new Map<TaskId, TaskCheckpoint>();
  private readonly records = new Map<TaskId, RoundRecord[]>();
  private readonly ledgers = new Map<TaskId, PrivacyLedger>();
  /** Each open round's charge, so that an abandoned round that released nothing can be refunded. */
  private readonly charges = new Map<string, LedgerEntry>();

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

  loadLedger(task: TaskId): PrivacyLedger {
    return this.ledgers.get(task) ?? createLedger(task);
  }

  commitAbandonedWithRefund(record: RoundRecord): void {
    this.commitRound(record, null);
    const charge = this.charges.get(record.roundId);
    this.charges.delete(record.roundId);
    const ledger = this.ledgers.get(record.task);
    if (!charge || !ledger) return;
    this.ledgers.set(record.task, { ...ledger, entries: ledger.entries.filter((e) => e !== charge) });
  }

  markRoundOpen(task: TaskId, roundId: string, _round: number, charge?: LedgerEntry | null): void {
    if (!charge) return;
    const next = this.chargeLedger(task, charge);
    this.charges.set(roundId, next.entries[next.entries.length - 1]!);
  }

  clearOpenRound(): void {}

  /** Nothing survives a simulated crash, so nothing is ever recovered. */
  recoverOpenRounds(): OpenRoundMarker[] {
    return [];
  }

  chargeLedger(task: TaskId, entry: LedgerEntry): PrivacyLedger {
    const next = recordRound(this.loadLedger(task), entry);
    this.ledgers.set(task, next);
    return next;
  }

  close(): void {}
}
