import type { SyncDb } from './sql/syncDb.ts';
import type { SignatureLog } from '../auth/records.ts';

/** Signatures already accepted, kept until they could no longer pass the freshness check anyway. */
export class SqliteSignatures implements SignatureLog {
  private readonly purgeStmt;
  private readonly insertStmt;
  private readonly seenStmt;

  constructor(db: SyncDb) {
    this.purgeStmt = db.prepare('DELETE FROM used_signatures WHERE expires_at < ?');
    this.insertStmt = db.prepare('INSERT INTO used_signatures (sig_hash, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
    this.seenStmt = db.prepare<[Buffer], { one: number }>('SELECT 1 AS one FROM used_signatures WHERE sig_hash = ?');
  }

  claim(sigHash: Uint8Array, expiresAt: number, now: number): boolean {
    this.purgeStmt.run(now);
    return this.insertStmt.run(Buffer.from(sigHash), expiresAt).changes === 1;
  }

  seen(sigHash: Uint8Array): boolean {
    return this.seenStmt.get(Buffer.from(sigHash)) !== undefined;
  }
}
