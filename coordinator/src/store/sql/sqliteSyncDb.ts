import type Database from 'better-sqlite3';
import type { SqlStatement, SyncDb } from './syncDb.ts';

/** better-sqlite3 behind the store's SyncDb surface; transactions take the write lock up front. */
export function sqliteSyncDb(db: Database.Database): SyncDb & { readonly raw: Database.Database } {
  return {
    dialect: 'sqlite',
    raw: db,
    get open() {
      return db.open;
    },
    prepare<P extends unknown[], R>(sql: string): SqlStatement<P, R> {
      const stmt = db.prepare(sql);
      return {
        get: (...params: P) => stmt.get(...params) as R | undefined,
        all: (...params: P) => stmt.all(...params) as R[],
        run: (...params: P) => ({ changes: stmt.run(...params).changes }),
      };
    },
    exec: (sql: string) => {
      db.exec(sql);
    },
    transaction: <T>(fn: () => T): T => (db.inTransaction ? fn() : db.transaction(fn).immediate()),
    close: () => {
      if (db.open) db.close();
    },
  };
}
