import type { TaskId } from '@huddle/shared/model';
import { publishedPriorSchema, type PublishedPrior } from '@huddle/shared/twin';
import type { TwinPriorRound } from '../engine/prior/twinPriorRecord.ts';
import type { SyncDb } from './sql/syncDb.ts';

/** The published twin prior (one row, validated on the way in and out) and the twin-prior rounds' records. */
export class SqliteTwinPrior {
  private readonly getStmt;
  private readonly putStmt;
  private readonly roundsStmt;
  private readonly insertRoundStmt;

  constructor(db: SyncDb) {
    this.getStmt = db.prepare<[], { prior: string }>('SELECT prior FROM twin_prior WHERE id = 1');
    this.putStmt = db.prepare('INSERT INTO twin_prior (id, prior, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET prior = excluded.prior, updated_at = excluded.updated_at');
    this.roundsStmt = db.prepare<[], { record: string }>('SELECT record FROM twin_prior_rounds ORDER BY id');
    this.insertRoundStmt = db.prepare('INSERT INTO twin_prior_rounds (task, round_id, record) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  }

  load(): PublishedPrior | null {
    const row = this.getStmt.get();
    return row ? publishedPriorSchema.parse(JSON.parse(row.prior)) : null;
  }

  save(prior: PublishedPrior, now: number): void {
    this.putStmt.run(JSON.stringify(publishedPriorSchema.parse(prior)), now);
  }

  rounds(): TwinPriorRound[] {
    return this.roundsStmt.all().map((r) => JSON.parse(r.record) as TwinPriorRound);
  }

  /** False (and nothing changes) when this round id is already recorded. Call inside a transaction. */
  record(task: TaskId, round: TwinPriorRound): boolean {
    return this.insertRoundStmt.run(task, round.roundId, JSON.stringify(round)).changes === 1;
  }
}
