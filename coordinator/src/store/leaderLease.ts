import type { SyncDb } from './sql/syncDb.ts';

export interface LeaseState {
  holder: string;
  /** Epoch milliseconds after which another node may take the lease. */
  expiresAt: number;
  /** Increases on every change of holder: a fencing token that tells a stale leader from the current one. */
  term: number;
}

/**
 * Leadership of one named duty (e.g. running a task's rounds) among coordinator nodes sharing one
 * PostgreSQL database: a row holding the leader's id, its term and an expiry. The leader renews
 * before expiry (the table is created by the PostgreSQL migrations); when it dies, the first node to try after the expiry takes over with term + 1.
 */
export class LeaderLease {
  private readonly selectStmt;
  private readonly insertStmt;
  private readonly takeStmt;
  private readonly releaseStmt;

  constructor(
    private readonly db: SyncDb,
    private readonly name: string,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.selectStmt = db.prepare<[string], { holder: string; expires_at: number; term: number }>('SELECT holder, expires_at, term FROM leader_leases WHERE name = ?');
    this.insertStmt = db.prepare('INSERT INTO leader_leases (name, holder, expires_at, term) VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING');
    this.takeStmt = db.prepare(
      'UPDATE leader_leases SET holder = ?, expires_at = ?, term = CASE WHEN holder = ? THEN term ELSE term + 1 END WHERE name = ? AND (holder = ? OR expires_at < ?)',
    );
    this.releaseStmt = db.prepare('UPDATE leader_leases SET expires_at = 0 WHERE name = ? AND holder = ?');
  }

  /** Takes or renews the lease; returns it when this node holds it afterwards, else null. */
  acquire(): LeaseState | null {
    const now = this.now();
    return this.db.transaction(() => {
      const inserted = this.insertStmt.run(this.name, this.nodeId, now + this.ttlMs).changes === 1;
      if (!inserted) this.takeStmt.run(this.nodeId, now + this.ttlMs, this.nodeId, this.name, this.nodeId, now);
      const row = this.selectStmt.get(this.name)!;
      return row.holder === this.nodeId ? { holder: row.holder, expiresAt: row.expires_at, term: row.term } : null;
    });
  }

  /** Who holds the lease now (null when nobody does or it has expired). */
  current(): LeaseState | null {
    const row = this.selectStmt.get(this.name);
    if (!row || row.expires_at < this.now()) return null;
    return { holder: row.holder, expiresAt: row.expires_at, term: row.term };
  }

  /** Gives the lease up at once (a clean shutdown), so another node need not wait for the expiry. */
  release(): void {
    this.releaseStmt.run(this.name, this.nodeId);
  }
}
