import type Database from 'better-sqlite3';
import type { SignatureLog } from '../auth/records.ts';

/** Signatures already accepted, kept until they could no longer pass the freshness check anyway. */
export class SqliteSignatures implements SignatureLog {
  private readonly purgeStmt;
  private readonly insertStmt;
  private readonly seenStmt;

  constructor(db: Database.Database) {
    this.purgeStmt = db.prepare('DELETE FROM used_signatures WHERE expires_at < ?');
    this.insertStmt = db.prepare('INSERT OR IGNORE INTO used_signatures (sig_hash, expires_at) VALUES (?, ?)');
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
