/**
 * The synchronous SQL surface the store's tables are written against. SQLite (better-sqlite3) is
 * synchronous by nature; PostgreSQL is reached through a job on the side thread that the caller waits on
 * (see postgresSyncDb.ts), so one implementation of every table serves both databases.
 */
export interface SqlStatement<P extends unknown[] = unknown[], R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): { changes: number };
}

export interface SyncDb {
  readonly dialect: 'sqlite' | 'postgres';
  readonly open: boolean;
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): SqlStatement<P, R>;
  /** Runs one or more statements that take no parameters. */
  exec(sql: string): void;
  /** Runs `fn` in one transaction (serializable on PostgreSQL); a nested call joins the outer one. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
