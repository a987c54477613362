import { migratePostgres } from './postgresSchema.ts';
import { PostgresSyncDb, type PostgresSyncDbOptions } from './sql/postgresSyncDb.ts';
import { SqlStore, type SqliteStoreOptions } from './sqliteStore.ts';

/** True for a `postgres://` or `postgresql://` connection string. */
export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/**
 * Durable coordinator state in PostgreSQL, shared by several coordinator nodes: the same tables and
 * transactions as the SQLite store (serializable isolation), schema migrated at start.
 */
export interface LeaseFence {
  /** The leader lease (see LeaderLease) whose holder alone may change rounds, checkpoints and the ledger. */
  lease: string;
  holder: string;
  term: number;
}

/** How soon a PostgreSQL store sees enrollments changed by another process (its own changes count at once). */
export const POSTGRES_ENROLLMENT_CACHE_MS = 2_000;

export class PostgresStore extends SqlStore {
  static connect(url: string, options: SqliteStoreOptions & PostgresSyncDbOptions & { fence?: LeaseFence } = {}): PostgresStore {
    // Every hello and signed message looks its enrollment up: from memory, not a round trip to the server each time.
    options = { enrollmentCacheMs: POSTGRES_ENROLLMENT_CACHE_MS, ...options };
    const db = new PostgresSyncDb(url, options);
    const fence = options.fence;
    if (fence) {
      const check = db.prepare<[string], { holder: string; term: number }>('SELECT holder, term FROM leader_leases WHERE name = ? FOR SHARE');
      options = {
        ...options,
        guard: () => {
          const row = check.get(fence.lease);
          if (!row || row.holder !== fence.holder || row.term !== fence.term) {
            throw new Error(`this node (${fence.holder}, term ${fence.term}) no longer holds the ${fence.lease} lease; nothing was written`);
          }
        },
      };
    }
    try {
      migratePostgres(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new PostgresStore(db, options);
  }

  private constructor(db: PostgresSyncDb, options: SqliteStoreOptions) {
    super(db, options);
  }
}
