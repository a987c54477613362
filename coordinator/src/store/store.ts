import type { TaskId } from '@huddle/shared/model';
import type { LedgerEntry, PrivacyLedger } from '@huddle/shared/privacy';
import type { PublishedPrior } from '@huddle/shared/twin';
import type { TwinPriorRound } from '../engine/prior/twinPriorRecord.ts';
import type { PublishedEvaluation, RoundRecord } from '../engine/roundRecord.ts';

/** A task's global model after its last completed round. */
export interface TaskCheckpoint {
  task: TaskId;
  /** Number of completed rounds; 0 = the initial model. */
  round: number;
  weights: Float32Array;
  optimizerState: unknown;
  /** The federated evaluation published with this model version (null: none validated yet, or the initial model). */
  published?: PublishedEvaluation | null;
}

/** What a crash-recovered round record needs to say truthfully: who was asked, and under which protocol. */
export interface OpenRoundDetails {
  selected: string[];
  secureAggregation: boolean;
}

/** A round found open at start: the process died while it ran. */
export interface OpenRoundMarker extends OpenRoundDetails {
  task: TaskId;
  roundId: string;
  round: number;
  startedAt: string;
}

/** How a twin-prior round ended, for the store: what it published, and whether its privacy charge is removed. */
export interface TwinPriorOutcome {
  /** The prior this round's sum produced, now the one served (null: the published prior stays as it was). */
  published: PublishedPrior | null;
  /** The round was charged (under its round id) and abandoned before anything was released. */
  refund: boolean;
}

/** The twin-prior task's durable state (docs/planning.md): the published prior and every prior round's record. */
export interface TwinPriorStore {
  loadTwinPrior(): PublishedPrior | null;
  /** Every recorded twin-prior round, oldest first. */
  twinPriorRounds(): TwinPriorRound[];
  /**
   * Records a twin-prior round of host task `task` and, in the same transaction, publishes `outcome.published` and
   * (`outcome.refund`) removes the round's charge; a store that cannot do both atomically keeps the charge. Returns the
   * record as stored (`refunded` says whether the charge was removed).
   */
  commitTwinPriorRound(task: TaskId, round: TwinPriorRound, outcome: TwinPriorOutcome): TwinPriorRound;
}

/** Durable coordinator state. `commitRound` is atomic: the record and checkpoint land together or not at all. */
export interface CoordinatorStore extends TwinPriorStore {
  loadCheckpoint(task: TaskId): TaskCheckpoint | null;
  /** Saves the initial model of a task that has none yet. */
  initCheckpoint(checkpoint: TaskCheckpoint): void;
  /** Appends a round; a completed round also replaces the checkpoint. */
  commitRound(record: RoundRecord, checkpoint: TaskCheckpoint | null): void;
  /**
   * Records an abandoned round that released nothing and, in the same transaction, removes the privacy charge its
   * `markRoundOpen` made (a store that cannot do both atomically keeps the charge: over-counting, never forgetting).
   * A crash before this call leaves the charge in place.
   */
  commitAbandonedWithRefund(record: RoundRecord): void;
  history(task: TaskId): RoundRecord[];
  /** The task's privacy ledger (empty when nothing was spent). */
  loadLedger(task: TaskId): PrivacyLedger;
  /**
   * Notes that a round is under way (so a crash mid-round is recorded as abandoned on restart) and
   * charges its privacy cost, before any client is contacted: epsilon spent is never forgotten.
   */
  markRoundOpen(task: TaskId, roundId: string, round: number, charge?: LedgerEntry | null, details?: OpenRoundDetails): void;
  clearOpenRound(task: TaskId): void;
  /** Rounds that were open when the process died; they are cleared by this call. */
  recoverOpenRounds(): OpenRoundMarker[];
  /**
   * Durably records a round's privacy cost before the round's result can exist. With a round id the charge can be
   * refunded later (a store without round ids in its ledger keeps it).
   */
  chargeLedger(task: TaskId, entry: LedgerEntry, roundId?: string | null): PrivacyLedger;
  close(): void;
}
