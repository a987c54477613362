import type { SyncDb } from './sql/syncDb.ts';

/**
 * An auditor's countersignatures of enrollment keys (countersignEnrollment in @huddle/shared/secagg), per client and
 * auditor key. The coordinator only stores and relays them; an erased enrollment takes its countersignatures along.
 */
export class SqliteCountersignatures {
  private readonly upsertStmt;
  private readonly ofStmt;
  private readonly countStmt;

  constructor(db: SyncDb) {
    this.upsertStmt = db.prepare(
      'INSERT INTO countersignatures (client_id, auditor_key, signature, signed_at) VALUES (?, ?, ?, ?) ON CONFLICT (client_id, auditor_key) DO UPDATE SET signature = excluded.signature, signed_at = excluded.signed_at',
    );
    this.ofStmt = db.prepare<[string, Buffer], { signature: Buffer }>('SELECT signature FROM countersignatures WHERE client_id = ? AND auditor_key = ?');
    this.countStmt = db.prepare<[Buffer], { n: number | string }>('SELECT COUNT(*) AS n FROM countersignatures WHERE auditor_key = ?');
  }

  put(clientId: string, auditorKey: Uint8Array, signature: Uint8Array, now: number): void {
    this.upsertStmt.run(clientId, Buffer.from(auditorKey), Buffer.from(signature), now);
  }

  of(clientId: string, auditorKey: Uint8Array): Uint8Array | null {
    const row = this.ofStmt.get(clientId, Buffer.from(auditorKey));
    return row ? new Uint8Array(row.signature) : null;
  }

  count(auditorKey: Uint8Array): number {
    return Number(this.countStmt.get(Buffer.from(auditorKey))?.n ?? 0);
  }
}
