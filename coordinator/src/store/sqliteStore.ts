import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskId } from '@huddle/shared/model';
import type { LedgerEntry, PrivacyLedger } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';
import type { PublishedPrior } from '@huddle/shared/twin';
import type { TwinPriorRound } from '../engine/prior/twinPriorRecord.ts';
import type { EnrollmentTable, SecurityStore } from '../auth/records.ts';
import { CRASHED_ROUND_REASON, type PublishedEvaluation, type RoundRecord } from '../engine/roundRecord.ts';
import { SqliteCountersignatures } from './sqliteCountersignatures.ts';
import { SqliteCoaches } from './sqliteCoaches.ts';
import { SqliteCredentials } from './sqliteCredentials.ts';
import { CachedEnrollments } from './cachedEnrollments.ts';
import { SqliteEnrollments } from './sqliteEnrollments.ts';
import { SqliteInvites } from './sqliteInvites.ts';
import { SqliteLedger } from './sqliteLedger.ts';
import { openSqlite } from './sqliteSchema.ts';
import { sqliteSyncDb } from './sql/sqliteSyncDb.ts';
import type { SyncDb } from './sql/syncDb.ts';
import { SqliteSignatures } from './sqliteSignatures.ts';
import { SqliteTaskConfigs } from './sqliteTaskConfigs.ts';
import { SqliteTwinPrior } from './sqliteTwinPrior.ts';
import type { CoordinatorStore, OpenRoundDetails, OpenRoundMarker, TaskCheckpoint, TwinPriorOutcome } from './store.ts';

export const SQLITE_FILE_NAME = 'coordinator.sqlite';

export interface SqliteStoreOptions {
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
  /**
   * Runs first inside every transaction that changes rounds, checkpoints or the ledger, and throws to
   * refuse it: a coordinator node that lost its leadership can then change nothing (fencing).
   */
  guard?: (db: SyncDb) => void;
  /**
   * Serve enrollment lookups (every hello and every signed message) from memory, checking the database for
   * changes by other processes at most this often (CachedEnrollments). Off by default: SQLite answers in
   * microseconds; PostgresStore turns it on.
   */
  enrollmentCacheMs?: number;
}

/** A round that was opened (and possibly charged to the privacy ledger) but not yet recorded. */
export interface OpenRound {
  task: TaskId;
  roundId: string;
  round: number;
}

export interface RecoveredRound extends OpenRoundMarker {
  /** The abandoned record written for it. */
  record: RoundRecord;
}

/** The engine's own wording for a round a crash cut short (one text for store and engine). */
export const RECOVERED_ROUND_REASON = CRASHED_ROUND_REASON;

/**
 * Durable coordinator state in SQL: every change that touches more than one row runs in a single
 * transaction. The same tables serve SQLite (`SqliteStore`, the embedded default) and PostgreSQL
 * (`PostgresStore`, for several coordinator nodes); only the schema migrations differ.
 */
export class SqlStore implements CoordinatorStore, SecurityStore {
  readonly credentials: SqliteCredentials;
  readonly invites: SqliteInvites;
  readonly enrollments: EnrollmentTable;
  readonly usedSignatures: SqliteSignatures;
  readonly countersignatures: SqliteCountersignatures;
  readonly coaches: SqliteCoaches;
  private readonly ledger: SqliteLedger;
  private readonly configs: SqliteTaskConfigs;
  private readonly prior: SqliteTwinPrior;
  private readonly now: () => number;
  private readonly guard: (db: SyncDb) => void;
  private readonly stmts;
  private transactionDepth = 0;

  constructor(
    private readonly db: SyncDb,
    options: SqliteStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.guard = options.guard ?? (() => {});
    this.credentials = new SqliteCredentials(db);
    this.invites = new SqliteInvites(db);
    const enrollments = new SqliteEnrollments(db);
    this.enrollments =
      options.enrollmentCacheMs !== undefined ? new CachedEnrollments(enrollments, { refreshMs: options.enrollmentCacheMs, inTransaction: () => this.transactionDepth > 0 }) : enrollments;
    this.usedSignatures = new SqliteSignatures(db);
    this.countersignatures = new SqliteCountersignatures(db);
    this.coaches = new SqliteCoaches(db);
    this.ledger = new SqliteLedger(db);
    this.configs = new SqliteTaskConfigs(db);
    this.prior = new SqliteTwinPrior(db);
    this.stmts = {
      checkpoint: db.prepare<[string], { round: number; weights: Buffer; optimizer_state: string; published: string | null }>('SELECT round, weights, optimizer_state, published FROM checkpoints WHERE task = ?'),
      insertCheckpoint: db.prepare('INSERT INTO checkpoints (task, round, weights, optimizer_state, updated_at) VALUES (?, ?, ?, ?, ?)'),
      updateCheckpoint: db.prepare('UPDATE checkpoints SET round = ?, weights = ?, optimizer_state = ?, updated_at = ?, published = ? WHERE task = ?'),
      insertRound: db.prepare('INSERT INTO rounds (task, round, round_id, status, record) VALUES (?, ?, ?, ?, ?)'),
      history: db.prepare<[string], { record: string }>('SELECT record FROM rounds WHERE task = ? ORDER BY id'),
      roundExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM rounds WHERE round_id = ?'),
      openRound: db.prepare('INSERT INTO open_rounds (round_id, task, round, opened_at, selected, secure_aggregation) VALUES (?, ?, ?, ?, ?, ?)'),
      clearOpenRound: db.prepare('DELETE FROM open_rounds WHERE task = ? AND round_id = ?'),
      clearOpenRoundsOfTask: db.prepare('DELETE FROM open_rounds WHERE task = ?'),
      openRounds: db.prepare<[], { round_id: string; task: TaskId; round: number; opened_at: number; selected: string; secure_aggregation: number }>(
        'SELECT round_id, task, round, opened_at, selected, secure_aggregation FROM open_rounds ORDER BY opened_at, round_id',
      ),
    };
  }

  loadCheckpoint(task: TaskId): TaskCheckpoint | null {
    const row = this.stmts.checkpoint.get(task);
    if (!row) return null;
    return { task, round: row.round, weights: blobToFloat32(row.weights), optimizerState: parseOptimizerState(row.optimizer_state), published: row.published === null ? null : (JSON.parse(row.published) as PublishedEvaluation) };
  }

  initCheckpoint(checkpoint: TaskCheckpoint): void {
    this.transaction(() => {
      this.guard(this.db);
      if (this.stmts.checkpoint.get(checkpoint.task)) throw new Error(`task ${checkpoint.task} already has a checkpoint`);
      this.stmts.insertCheckpoint.run(checkpoint.task, checkpoint.round, float32ToBlob(checkpoint.weights), serializeOptimizerState(checkpoint.optimizerState), this.now());
    });
  }

  /**
   * Records a round, and in the same transaction: replaces the checkpoint (completed rounds),
   * charges `ledgerEntry` unless this round was already charged, and clears its open-round marker.
   * A round id already recorded (say, as abandoned by `recoverOpenRounds`) is never counted again:
   * committing it changes nothing but the marker.
   */
  commitRound(record: RoundRecord, checkpoint: TaskCheckpoint | null, ledgerEntry?: LedgerEntry | null): void {
    if (checkpoint && checkpoint.task !== record.task) throw new Error(`checkpoint of ${checkpoint.task} committed with a round of ${record.task}`);
    this.recordOnce(record, () => {
      if (ledgerEntry) this.ledger.charge(record.task, ledgerEntry, record.roundId, this.now());
      if (checkpoint) {
        const published = checkpoint.published ? JSON.stringify(checkpoint.published) : null;
        this.stmts.updateCheckpoint.run(checkpoint.round, float32ToBlob(checkpoint.weights), serializeOptimizerState(checkpoint.optimizerState), this.now(), published, record.task);
      }
    });
  }

  /** Records an abandoned round that released nothing and removes its charge, in one transaction (commitRound's rules otherwise). */
  commitAbandonedWithRefund(record: RoundRecord): void {
    if (record.status !== 'abandoned') throw new Error(`only an abandoned round is refunded, not a ${record.status} one`);
    this.recordOnce(record, () => this.ledger.refund(record.task, record.roundId));
  }

  /** Inserts the round record with `alongside` in one transaction, unless the round id is already recorded; clears its open-round marker either way. */
  private recordOnce(record: RoundRecord, alongside: () => void): void {
    this.transaction(() => {
      this.guard(this.db);
      if (!this.stmts.checkpoint.get(record.task)) throw new Error(`task ${record.task} has no checkpoint`);
      if (!this.stmts.roundExists.get(record.roundId)) {
        this.stmts.insertRound.run(record.task, record.round, record.roundId, record.status, JSON.stringify(record));
        alongside();
      }
      this.stmts.clearOpenRound.run(record.task, record.roundId);
    });
  }

  history(task: TaskId): RoundRecord[] {
    return this.stmts.history.all(task).map((r) => JSON.parse(r.record) as RoundRecord);
  }

  /**
   * Marks a round as open before any of its results exist, charging its privacy cost in the same
   * transaction: once this returns, the spend survives any crash.
   */
  markRoundOpen(task: TaskId, roundId: string, round: number, charge?: LedgerEntry | null, details?: OpenRoundDetails): void {
    this.transaction(() => {
      this.guard(this.db);
      if (this.stmts.roundExists.get(roundId)) throw new Error(`round ${roundId} is already recorded`);
      this.stmts.openRound.run(roundId, task, round, this.now(), JSON.stringify(details?.selected ?? []), details?.secureAggregation ? 1 : 0);
      if (charge) this.ledger.charge(task, charge, roundId, this.now());
    });
  }

  /** Drops the task's open-round marker (only `roundId`'s, if given) without recording anything; true if there was one. */
  clearOpenRound(task: TaskId, roundId?: string): boolean {
    const cleared = roundId === undefined ? this.stmts.clearOpenRoundsOfTask.run(task) : this.stmts.clearOpenRound.run(task, roundId);
    return cleared.changes > 0;
  }

  openRounds(): OpenRound[] {
    return this.stmts.openRounds.all().map((r) => ({ task: r.task, roundId: r.round_id, round: r.round }));
  }

  /**
   * At startup: every round still open was cut short by a crash. Each is recorded as abandoned and
   * its marker removed in one transaction, so a second call (or a second restart) finds nothing,
   * and a later `commitRound` of the same round id changes nothing. Privacy charges made when the
   * rounds opened stay in the ledger.
   */
  recoverOpenRounds(): RecoveredRound[] {
    return this.transaction(() => {
      this.guard(this.db);
      const recovered: RecoveredRound[] = [];
      const endedAt = new Date(this.now()).toISOString();
      for (const open of this.stmts.openRounds.all()) {
        this.stmts.clearOpenRound.run(open.task, open.round_id);
        if (this.stmts.roundExists.get(open.round_id)) continue;
        const selected = JSON.parse(open.selected) as string[];
        const record: RoundRecord = {
          task: open.task,
          round: open.round,
          roundId: open.round_id,
          status: 'abandoned',
          reason: RECOVERED_ROUND_REASON,
          startedAt: new Date(open.opened_at).toISOString(),
          endedAt,
          selected,
          reported: [],
          dropped: selected,
          numExamples: 0,
          trainLoss: null,
          metrics: null,
          privacy: null,
          secureAggregation: open.secure_aggregation === 1,
        };
        this.stmts.insertRound.run(record.task, record.round, record.roundId, record.status, JSON.stringify(record));
        recovered.push({ task: open.task, roundId: open.round_id, round: open.round, startedAt: record.startedAt, selected, secureAggregation: record.secureAggregation, record });
      }
      return recovered;
    });
  }

  loadLedger(task: TaskId): PrivacyLedger {
    return this.ledger.load(task);
  }

  /**
   * Appends a charge on its own and returns the ledger after it. With a round id, a round is
   * charged at most once: a repeat changes nothing.
   */
  chargeLedger(task: TaskId, entry: LedgerEntry, roundId: string | null = null): PrivacyLedger {
    return this.transaction(() => {
      this.guard(this.db);
      this.ledger.charge(task, entry, roundId, this.now());
      return this.ledger.load(task);
    });
  }

  loadTwinPrior(): PublishedPrior | null {
    return this.prior.load();
  }

  twinPriorRounds(): TwinPriorRound[] {
    return this.prior.rounds();
  }

  /** A round id already recorded is refused, and the transaction with it (no second publish, no second refund). */
  commitTwinPriorRound(task: TaskId, round: TwinPriorRound, outcome: TwinPriorOutcome): TwinPriorRound {
    return this.transaction(() => {
      this.guard(this.db);
      const refunded = outcome.refund && this.ledger.refund(task, round.roundId);
      const stored = { ...round, refunded };
      if (!this.prior.record(task, stored)) throw new Error(`twin-prior round ${round.roundId} is already recorded`);
      if (outcome.published) this.prior.save(outcome.published, this.now());
      return stored;
    });
  }

  /** Upgrade from a coordinator that kept the prior in `<data-dir>/twin-prior.json`: taken in only while none is stored. */
  importTwinPrior(prior: PublishedPrior): boolean {
    return this.transaction(() => {
      this.guard(this.db);
      if (this.prior.load()) return false;
      this.prior.save(prior, this.now());
      return true;
    });
  }

  loadTaskConfig(task: TaskId): TaskConfig | null {
    return this.configs.load(task);
  }

  taskConfigs(): TaskConfig[] {
    return this.configs.all();
  }

  saveTaskConfig(config: TaskConfig): TaskConfig {
    return this.configs.save(config, this.now());
  }

  transaction<T>(fn: () => T): T {
    this.transactionDepth++;
    try {
      return this.db.transaction(fn);
    } finally {
      this.transactionDepth--;
    }
  }

  close(): void {
    this.db.close();
  }
}

/** The embedded default: one SQLite file (WAL, fsync on every commit). */
export class SqliteStore extends SqlStore {
  /** The store kept in `dataDir/coordinator.sqlite`. */
  static inDirectory(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStore(join(dataDir, SQLITE_FILE_NAME), options);
  }

  constructor(path: string, options: SqliteStoreOptions = {}) {
    super(sqliteSyncDb(openSqlite(path)), options);
  }
}

function float32ToBlob(w: Float32Array): Buffer {
  return Buffer.from(w.buffer, w.byteOffset, w.byteLength);
}

function blobToFloat32(blob: Buffer): Float32Array {
  if (blob.byteLength % 4 !== 0) throw new Error(`corrupt checkpoint: ${blob.byteLength} bytes is not a whole number of float32 weights`);
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

/** Wrapped so that `undefined` and `null` both survive the round trip, as they do in the FileStore's JSON. */
function serializeOptimizerState(state: unknown): string {
  return JSON.stringify({ state });
}

function parseOptimizerState(json: string): unknown {
  return (JSON.parse(json) as { state?: unknown }).state;
}
