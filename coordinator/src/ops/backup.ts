import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../store/sqliteStore.ts';

/**
 * Online backup of an enrolled coordinator's state (task settings, enrollments, round history,
 * checkpoints, privacy ledgers): SQLite's backup API gives a consistent copy while it runs.
 */
export async function backupDataDir(dataDir: string, outFile: string): Promise<void> {
  const source = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(source)) throw new Error(`no coordinator state at ${source}`);
  mkdirSync(dirname(outFile), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(outFile);
  } finally {
    db.close();
  }
}

/** Restores a backup into a data directory; the coordinator must be stopped. */
export function restoreDataDir(dataDir: string, backupFile: string): void {
  if (!existsSync(backupFile)) throw new Error(`no backup at ${backupFile}`);
  const check = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`backup ${backupFile} fails SQLite's integrity check: ${String(ok)}`);
  } finally {
    check.close();
  }
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, SQLITE_FILE_NAME);
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  copyFileSync(backupFile, target);
}
