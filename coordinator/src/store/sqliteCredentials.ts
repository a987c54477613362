import type { SyncDb } from './sql/syncDb.ts';
import type { CredentialRecord, CredentialTable, StaffRole } from '../auth/records.ts';

interface Row {
  id: string;
  role: StaffRole;
  note: string | null;
  created_at: number;
  revoked_at: number | null;
}

const toRecord = (r: Row): CredentialRecord => ({ id: r.id, role: r.role, note: r.note, createdAt: r.created_at, revokedAt: r.revoked_at });

/** API credentials: only the SHA-256 of each token is stored. */
export class SqliteCredentials implements CredentialTable {
  private readonly insertStmt;
  private readonly byIdStmt;
  private readonly byHashStmt;
  private readonly countStmt;
  private readonly revokeStmt;
  private readonly revokeRoleStmt;

  constructor(db: SyncDb) {
    this.insertStmt = db.prepare('INSERT INTO credentials (id, role, token_hash, note, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.byIdStmt = db.prepare<[string], Row>('SELECT id, role, note, created_at, revoked_at FROM credentials WHERE id = ?');
    this.byHashStmt = db.prepare<[Buffer], Row>('SELECT id, role, note, created_at, revoked_at FROM credentials WHERE token_hash = ?');
    this.countStmt = db.prepare<[StaffRole], { n: number }>('SELECT COUNT(*) AS n FROM credentials WHERE role = ? AND revoked_at IS NULL');
    this.revokeStmt = db.prepare('UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.revokeRoleStmt = db.prepare('UPDATE credentials SET revoked_at = ? WHERE role = ? AND revoked_at IS NULL');
  }

  insert(record: CredentialRecord, tokenHash: Uint8Array): void {
    this.insertStmt.run(record.id, record.role, Buffer.from(tokenHash), record.note, record.createdAt, record.revokedAt);
  }

  byId(id: string): CredentialRecord | null {
    const row = this.byIdStmt.get(id);
    return row ? toRecord(row) : null;
  }

  byTokenHash(tokenHash: Uint8Array): CredentialRecord | null {
    const row = this.byHashStmt.get(Buffer.from(tokenHash));
    return row ? toRecord(row) : null;
  }

  countActive(role: StaffRole): number {
    return this.countStmt.get(role)!.n;
  }

  revoke(id: string, now: number): boolean {
    return this.revokeStmt.run(now, id).changes === 1;
  }

  revokeRole(role: StaffRole, now: number): number {
    return this.revokeRoleStmt.run(now, role).changes;
  }
}
