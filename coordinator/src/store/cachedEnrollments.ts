import type { TaskId } from '@huddle/shared/model';
import { ByteSlab } from '@huddle/shared/util';
import type { EnrollmentRecord, EnrollmentTable } from '../auth/records.ts';

/** What the cache needs of the table underneath: every row, and a cheap fingerprint that changes with any row. */
export interface EnrollmentSource extends EnrollmentTable {
  all(): EnrollmentRecord[];
  fingerprint(): string;
}

export interface CachedEnrollmentsOptions {
  /** How often (at most) a lookup asks the database whether another process changed the table. */
  refreshMs: number;
  /** True inside a store transaction: lookups then read the database and cache nothing (a rollback would leave it wrong). */
  inTransaction: () => boolean;
  now?: () => number;
}

/**
 * Enrollment lookups from memory, for the hello and per-message checks of a coordinator whose database is a
 * network hop away (PostgreSQL). The whole table is loaded once; writes through this object take effect at once
 * (the row is looked up again); a write by another process (another node, psql, a restore) is seen within
 * `refreshMs`, when the table's fingerprint (rows, revocations, newest enrollment and revocation) changes and the
 * table is loaded again. A revoked or erased client is thus refused by the very next message when the leader's own
 * API revoked it, and within `refreshMs` otherwise.
 */
export class CachedEnrollments implements EnrollmentTable {
  private rows = new Map<string, EnrollmentRecord>();
  /** Ids written through this object since the last load: looked up in the database again. */
  private readonly changed = new Set<string>();
  private loadedFingerprint: string | null = null;
  private checkedAt = -Infinity;
  private readonly now: () => number;

  constructor(
    private readonly inner: EnrollmentSource,
    private readonly options: CachedEnrollmentsOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  insert(record: EnrollmentRecord): void {
    this.inner.insert(record);
    this.changed.add(record.clientId);
  }

  byClientId(clientId: string): EnrollmentRecord | null {
    if (this.options.inTransaction()) return this.inner.byClientId(clientId);
    this.refreshIfDue();
    if (this.changed.has(clientId)) {
      const fresh = this.inner.byClientId(clientId);
      this.changed.delete(clientId);
      if (fresh) this.rows.set(clientId, fresh);
      else this.rows.delete(clientId);
    }
    return this.rows.get(clientId) ?? null;
  }

  byPublicKey(publicKey: Uint8Array): EnrollmentRecord | null {
    return this.inner.byPublicKey(publicKey);
  }

  revoke(clientId: string, now: number): boolean {
    const done = this.inner.revoke(clientId, now);
    this.changed.add(clientId);
    return done;
  }

  erase(clientId: string): boolean {
    const done = this.inner.erase(clientId);
    this.changed.add(clientId);
    return done;
  }

  summary(): { active: number; revoked: number; byTask: Partial<Record<TaskId, number>> } {
    return this.inner.summary();
  }

  private refreshIfDue(): void {
    const t = this.now();
    if (this.loadedFingerprint !== null && t - this.checkedAt < this.options.refreshMs) return;
    this.checkedAt = t;
    const fingerprint = this.inner.fingerprint();
    // Our own writes change the fingerprint too; the reload then costs one query and changes nothing.
    if (fingerprint === this.loadedFingerprint) return;
    const keys = new ByteSlab();
    this.rows = new Map(this.inner.all().map((r) => [r.clientId, { ...r, publicKey: keys.copy(r.publicKey) }]));
    this.changed.clear();
    this.loadedFingerprint = fingerprint;
  }
}
