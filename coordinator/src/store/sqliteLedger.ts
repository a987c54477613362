import type { SyncDb } from './sql/syncDb.ts';
import type { TaskId } from '@huddle/shared/model';
import { createLedger, ledgerEntrySchema, parseLedger, recordRound, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';

/**
 * The per-task privacy ledger, one row per charge. A charge tied to a round id is recorded at most
 * once, so retrying or re-committing a round never spends its epsilon twice.
 */
export class SqliteLedger {
  private readonly entriesStmt;
  private readonly insertStmt;
  private readonly refundStmt;

  constructor(db: SyncDb) {
    this.entriesStmt = db.prepare<[string], { entry: string }>('SELECT entry FROM ledger_entries WHERE task = ? ORDER BY id');
    this.insertStmt = db.prepare('INSERT INTO ledger_entries (task, round_id, entry, charged_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.refundStmt = db.prepare('DELETE FROM ledger_entries WHERE task = ? AND round_id = ?');
  }

  /** Removes a round's charge (a round that released nothing); true when there was one. Call inside a transaction. */
  refund(task: TaskId, roundId: string): boolean {
    return this.refundStmt.run(task, roundId).changes > 0;
  }

  load(task: TaskId): PrivacyLedger {
    const entries = this.entriesStmt.all(task).map((r) => JSON.parse(r.entry) as unknown);
    return parseLedger({ taskId: task, entries });
  }

  /** Appends a charge; returns false (and changes nothing) when this round was already charged. */
  charge(task: TaskId, entry: LedgerEntry, roundId: string | null, now: number): boolean {
    const valid = recordRound(createLedger(task), ledgerEntrySchema.parse(entry)).entries[0]!;
    return this.insertStmt.run(task, roundId, JSON.stringify(valid), now).changes === 1;
  }
}
