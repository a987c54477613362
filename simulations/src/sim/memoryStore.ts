import type { CoordinatorStore, OpenRoundMarker, RoundRecord, TaskCheckpoint, TwinPriorOutcome, TwinPriorRound } from '@huddle/coordinator';
import type { TaskId } from '@huddle/shared/model';
import { createLedger, recordRound, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';
import type { PublishedPrior } from '@huddle/shared/twin';

/** Coordinator state kept in memory: a simulation needs no durability. */
export class MemoryStore implements CoordinatorStore {
  private readonly checkpoints = new Map<TaskId, TaskCheckpoint>();
  private readonly records = new Map<TaskId, RoundRecord[]>();
  private readonly ledgers = new Map<TaskId, PrivacyLedger>();
  /** Each open round's charge, so that an abandoned round that released nothing can be refunded. */
  private readonly charges = new Map<string, LedgerEntry>();
  private prior: PublishedPrior | null = null;
  private readonly priorRounds: TwinPriorRound[] = [];

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
    this.refund(record.task, record.roundId);
  }

  loadTwinPrior(): PublishedPrior | null {
    return this.prior;
  }

  twinPriorRounds(): TwinPriorRound[] {
    return [...this.priorRounds];
  }

  commitTwinPriorRound(task: TaskId, round: TwinPriorRound, outcome: TwinPriorOutcome): TwinPriorRound {
    const stored = { ...round, refunded: outcome.refund && this.refund(task, round.roundId) };
    this.priorRounds.push(stored);
    if (outcome.published) this.prior = outcome.published;
    return stored;
  }

  private refund(task: TaskId, roundId: string): boolean {
    const charge = this.charges.get(roundId);
    this.charges.delete(roundId);
    const ledger = this.ledgers.get(task);
    if (!charge || !ledger) return false;
    this.ledgers.set(task, { ...ledger, entries: ledger.entries.filter((e) => e !== charge) });
    return true;
  }

  markRoundOpen(task: TaskId, roundId: string, _round: number, charge?: LedgerEntry | null): void {
    if (charge) this.chargeLedger(task, charge, roundId);
  }

  clearOpenRound(): void {}

  /** Nothing survives a simulated crash, so nothing is ever recovered. */
  recoverOpenRounds(): OpenRoundMarker[] {
    return [];
  }

  chargeLedger(task: TaskId, entry: LedgerEntry, roundId: string | null = null): PrivacyLedger {
    const next = recordRound(this.loadLedger(task), entry);
    this.ledgers.set(task, next);
    if (roundId !== null) this.charges.set(roundId, next.entries[next.entries.length - 1]!);
    return next;
  }

  close(): void {}
}
