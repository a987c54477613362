import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { rotateAdminCredential } from '../auth/credentials.ts';
import { lockDataDir } from '../store/dataDirLock.ts';
import { SQLITE_FILE_NAME, SqliteStore } from '../store/sqliteStore.ts';

/**
 * Rotates the admin token of a stopped coordinator (refused while one runs on `dataDir`): every
 * admin token stops working and the one returned replaces them.
 */
export function rotateAdminToken(dataDir: string): { token: string; revoked: number } {
  if (!existsSync(join(dataDir, SQLITE_FILE_NAME))) throw new Error(`no enrolled coordinator state in ${dataDir} (no ${SQLITE_FILE_NAME}); start the coordinator once to create it`);
  const lock = lockDataDir(dataDir, 'admin-token');
  try {
    const store = SqliteStore.inDirectory(dataDir);
    try {
      return rotateAdminCredential(store);
    } finally {
      store.close();
    }
  } finally {
    lock.release();
  }
}
