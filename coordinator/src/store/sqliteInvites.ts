import { randomBytes } from 'node:crypto';
import type { SyncDb } from './sql/syncDb.ts';
import type { InviteRecord, InviteTable } from '../auth/records.ts';
import { parseTaskList } from './sqliteTaskList.ts';

interface Row {
  id: string;
  tasks: string;
  note: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

const COLUMNS = 'id, tasks, note, created_at, expires_at, used_at, revoked_at';

const toRecord = (r: Row): InviteRecord => ({
  id: r.id,
  tasks: parseTaskList(r.tasks),
  note: r.note,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
});

/** Single-use invites; the code itself is never stored, only its HMAC under a key kept in `server_secrets`. */
export class SqliteInvites implements InviteTable {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byHashStmt;
  private readonly listStmt;
  private readonly markUsedStmt;
  private readonly revokeStmt;
  private readonly readKeyStmt;
  private readonly insertKeyStmt;

  constructor(db: SyncDb) {
    this.insertStmt = db.prepare(`INSERT INTO invites (code_hash, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.byIdStmt = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM invites WHERE id = ?`);
    this.byHashStmt = db.prepare<[Buffer], Row>(`SELECT ${COLUMNS} FROM invites WHERE code_hash = ?`);
    this.listStmt = db.prepare<[], Row & { client_id: string | null }>(
      `SELECT ${COLUMNS.split(', ').map((c) => `i.${c}`).join(', ')}, e.client_id FROM invites i LEFT JOIN enrollments e ON e.invite_id = i.id ORDER BY ${db.dialect === 'sqlite' ? 'i.rowid' : 'i.seq'}`,
    );
    this.markUsedStmt = db.prepare('UPDATE invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?');
    this.revokeStmt = db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL');
    this.readKeyStmt = db.prepare<[], { value: Buffer }>("SELECT value FROM server_secrets WHERE name = 'invite-code-key'");
    this.insertKeyStmt = db.prepare("INSERT INTO server_secrets (name, value) VALUES ('invite-code-key', ?) ON CONFLICT DO NOTHING");
  }

  codeKey(): Uint8Array {
    let row = this.readKeyStmt.get();
    if (!row) {
      this.insertKeyStmt.run(randomBytes(32));
      row = this.readKeyStmt.get()!;
    }
    return new Uint8Array(row.value);
  }

  insert(r: InviteRecord, codeHash: Uint8Array): void {
    this.insertStmt.run(Buffer.from(codeHash), r.id, JSON.stringify(r.tasks), r.note, r.createdAt, r.expiresAt, r.usedAt, r.revokedAt);
  }

  byId(id: string): InviteRecord | null {
    const row = this.byIdStmt.get(id);
    return row ? toRecord(row) : null;
  }

  byCodeHash(codeHash: Uint8Array): InviteRecord | null {
    const row = this.byHashStmt.get(Buffer.from(codeHash));
    return row ? toRecord(row) : null;
  }

  list(): (InviteRecord & { clientId: string | null })[] {
    return this.listStmt.all().map((r) => ({ ...toRecord(r), clientId: r.client_id }));
  }

  markUsed(id: string, now: number): boolean {
    return this.markUsedStmt.run(now, id, now).changes === 1;
  }

  revoke(id: string, now: number): boolean {
    return this.revokeStmt.run(now, id).changes === 1;
  }
}
