import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { lockDataDir } from '../store/dataDirLock.ts';
import { SQLITE_FILE_NAME } from '../store/sqliteStore.ts';
import { verifyCoordinatorDatabase } from './verifyDatabase.ts';

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

export interface RestoreOutcome {
  /** Where the state that was replaced now lives (kept, never deleted); null if there was none. */
  replaced: string | null;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Folds the WAL of a stopped coordinator's database into the main file, so nothing lives only in `-wal`. */
function checkpointQuietly(path: string): void {
  try {
    const db = new Database(path, { fileMustExist: true });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // An unreadable database is moved aside with its -wal and -shm as they are.
  }
}

/**
 * Restores a backup into a data directory. Refused while a coordinator holds the directory's
 * lock. The backup is checked (SQLite integrity, the coordinator's schema) on a copy inside the
 * directory before anything is replaced; the copy then takes the database's place by an atomic
 * rename. The replaced state is kept beside it, with its `-wal` and `-shm`, under a dated name.
 */
export function restoreDataDir(dataDir: string, backupFile: string, now = new Date()): RestoreOutcome {
  if (!existsSync(backupFile)) throw new Error(`no backup at ${backupFile}`);
  verifyCoordinatorDatabase(backupFile, `backup ${backupFile}`);
  const lock = lockDataDir(dataDir, 'restore');
  try {
    const target = join(dataDir, SQLITE_FILE_NAME);
    const staged = `${target}.restoring`;
    rmSync(staged, { force: true });
    copyFileSync(backupFile, staged);
    try {
      verifyCoordinatorDatabase(staged, `the copy of backup ${backupFile}`);
      fsyncPath(staged);
    } catch (err) {
      rmSync(staged, { force: true });
      throw err;
    }
    let replaced: string | null = null;
    if (existsSync(target)) {
      checkpointQuietly(target);
      replaced = `${target}.replaced-${now.toISOString().replace(/[:.]/g, '-')}`;
      linkSync(target, replaced);
      for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, replaced + suffix);
    }
    renameSync(staged, target);
    fsyncPath(dataDir);
    return { replaced };
  } finally {
    lock.release();
  }
}
