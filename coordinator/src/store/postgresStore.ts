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
export class PostgresStore extends SqlStore {
  static connect(url: string, options: SqliteStoreOptions & PostgresSyncDbOptions = {}): PostgresStore {
    const db = new PostgresSyncDb(url, options);
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
