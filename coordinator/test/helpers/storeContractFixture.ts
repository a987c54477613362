import { afterEach, beforeEach } from 'vitest';
import { FileStore } from '../../src/store/fileStore.ts';
import { PostgresStore } from '../../src/store/postgresStore.ts';
import { SqliteStore } from '../../src/store/sqliteStore.ts';
import type { CoordinatorStore } from '../../src/store/store.ts';
import { tempDir } from './tempDir.ts';
import { usePostgres } from './usePostgres.ts';

export interface FreshStore {
  store: CoordinatorStore;
  dir: string;
  reopen(): CoordinatorStore;
}

/**
 * The three stores a contract test runs against, each opened in its own temporary directory (PostgreSQL: one schema
 * per test on a throwaway server). Call at the top of a test file; call `freshStores(name)` inside `describe.each`.
 */
export function storeContractFixture() {
  const postgres = usePostgres();
  let postgresUrl = '';
  const stores: [string, (dir: string) => CoordinatorStore][] = [
    ['FileStore', (dir) => new FileStore(dir)],
    ['SqliteStore', (dir) => SqliteStore.inDirectory(dir)],
    ['PostgresStore', () => PostgresStore.connect(postgresUrl)],
  ];
  function freshStores(name: string, open: (dir: string) => CoordinatorStore): () => FreshStore {
    const cleanups: (() => void)[] = [];
    beforeEach(async () => {
      if (name === 'PostgresStore') postgresUrl = await postgres.createSchema();
    });
    afterEach(() => {
      while (cleanups.length > 0) cleanups.pop()!();
    });
    return () => {
      const tmp = tempDir();
      let store = open(tmp.dir);
      cleanups.push(() => {
        store.close();
        tmp.remove();
      });
      return {
        store,
        dir: tmp.dir,
        reopen() {
          store.close();
          store = open(tmp.dir);
          return store;
        },
      };
    };
  }
  return { stores, freshStores };
}
