import type { SyncDb } from './sql/syncDb.ts';
import type { TaskId } from '@huddle/shared/model';
import type { EnrollmentRecord, EnrollmentTable } from '../auth/records.ts';
import { parseTaskList } from './sqliteTaskList.ts';

interface Row {
  client_id: string;
  public_key: Buffer;
  tasks: string;
  invite_id: string | null;
  enrolled_at: number;
  revoked_at: number | null;
}

const toRecord = (r: Row): EnrollmentRecord => ({
  clientId: r.client_id,
  publicKey: new Uint8Array(r.public_key),
  tasks: parseTaskList(r.tasks),
  inviteId: r.invite_id,
  enrolledAt: r.enrolled_at,
  revokedAt: r.revoked_at,
});

/** Enrolled athletes' devices: a pseudonymous id, an Ed25519 public key and the tasks they may join. */
/** What an erased athlete's pseudonymous id becomes in the round history. */
export const ERASED_CLIENT_ID = 'erased';

export class SqliteEnrollments implements EnrollmentTable {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byKeyStmt;
  private readonly revokeStmt;
  private readonly eraseStmt;
  private readonly activeTasksStmt;
  private readonly revokedCountStmt;
  private readonly roundsMentioningStmt;
  private readonly rewriteRoundStmt;
  private readonly allStmt;
  private readonly fingerprintStmt;

  constructor(db: SyncDb) {
    this.insertStmt = db.prepare('INSERT INTO enrollments (client_id, public_key, tasks, invite_id, enrolled_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.byIdStmt = db.prepare<[string], Row>('SELECT * FROM enrollments WHERE client_id = ?');
    this.byKeyStmt = db.prepare<[Buffer], Row>('SELECT * FROM enrollments WHERE public_key = ?');
    this.revokeStmt = db.prepare('UPDATE enrollments SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL');
    this.eraseStmt = db.prepare('DELETE FROM enrollments WHERE client_id = ?');
    this.activeTasksStmt = db.prepare<[], { tasks: string }>('SELECT tasks FROM enrollments WHERE revoked_at IS NULL');
    this.revokedCountStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM enrollments WHERE revoked_at IS NOT NULL');
    this.roundsMentioningStmt = db.prepare<[string], { id: number; record: string }>('SELECT id, record FROM rounds WHERE record LIKE ?');
    this.rewriteRoundStmt = db.prepare('UPDATE rounds SET record = ? WHERE id = ?');
    this.allStmt = db.prepare<[], Row>('SELECT * FROM enrollments');
    this.fingerprintStmt = db.prepare<[], { n: number; r: number; e: number; v: number }>(
      'SELECT COUNT(*) AS n, COUNT(revoked_at) AS r, COALESCE(MAX(enrolled_at), 0) AS e, COALESCE(MAX(revoked_at), 0) AS v FROM enrollments',
    );
  }

  insert(r: EnrollmentRecord): void {
    this.insertStmt.run(r.clientId, Buffer.from(r.publicKey), JSON.stringify(r.tasks), r.inviteId, r.enrolledAt, r.revokedAt);
  }

  byClientId(clientId: string): EnrollmentRecord | null {
    const row = this.byIdStmt.get(clientId);
    return row ? toRecord(row) : null;
  }

  /** Every enrollment (CachedEnrollments loads them at once). */
  all(): EnrollmentRecord[] {
    return this.allStmt.all().map(toRecord);
  }

  /** Changes whenever a row is added, revoked or erased (row count, revocation count, newest of each). */
  fingerprint(): string {
    const f = this.fingerprintStmt.get()!;
    return `${f.n}:${f.r}:${f.e}:${f.v}`;
  }

  byPublicKey(publicKey: Uint8Array): EnrollmentRecord | null {
    const row = this.byKeyStmt.get(Buffer.from(publicKey));
    return row ? toRecord(row) : null;
  }

  revoke(clientId: string, now: number): boolean {
    return this.revokeStmt.run(now, clientId).changes === 1;
  }

  erase(clientId: string): boolean {
    this.tombstoneRounds(clientId);
    return this.eraseStmt.run(clientId).changes === 1;
  }

  /** Replaces the client id in every stored round record by ERASED_CLIENT_ID; counts stay as they were. */
  private tombstoneRounds(clientId: string): void {
    const quoted = JSON.stringify(clientId);
    // LIKE may match more rows than hold the id (`_` is a wildcard); the exact replacement below decides.
    for (const row of this.roundsMentioningStmt.all(`%${quoted}%`)) {
      const record = JSON.parse(row.record) as Record<string, unknown>;
      for (const key of ['selected', 'reported', 'dropped']) {
        const ids = record[key];
        if (Array.isArray(ids)) record[key] = ids.map((id) => (id === clientId ? ERASED_CLIENT_ID : id));
      }
      this.rewriteRoundStmt.run(JSON.stringify(record), row.id);
    }
  }

  summary(): { active: number; revoked: number; byTask: Partial<Record<TaskId, number>> } {
    const rows = this.activeTasksStmt.all();
    const byTask: Partial<Record<TaskId, number>> = {};
    for (const row of rows) for (const task of parseTaskList(row.tasks)) byTask[task] = (byTask[task] ?? 0) + 1;
    return { active: rows.length, revoked: this.revokedCountStmt.get()!.n, byTask };
  }
}
