import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDataDir, restoreDataDir } from '../src/ops/backup.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { checkpoint, completedRound } from './helpers/records.ts';
import { tempDir } from './helpers/tempDir.ts';

describe('backup and restore', () => {
  it('restores the state as it was when the backup was taken, while the coordinator kept running', async () => {
    const live = tempDir();
    const elsewhere = tempDir();
    try {
      const store = SqliteStore.inDirectory(live.dir);
      store.initCheckpoint(checkpoint('readiness', 0, [0, 0]));
      store.commitRound(completedRound('readiness', 1), checkpoint('readiness', 1, [1, 1]));
      store.chargeLedger('readiness', { samplingRate: 0.1, noiseMultiplier: 1, steps: 1 });
      const file = join(elsewhere.dir, 'backup.sqlite');
      await backupDataDir(live.dir, file);
      store.commitRound(completedRound('readiness', 2), checkpoint('readiness', 2, [2, 2]));
      store.close();

      restoreDataDir(live.dir, file);
      const restored = SqliteStore.inDirectory(live.dir);
      expect(restored.loadCheckpoint('readiness')!.round).toBe(1);
      expect(restored.history('readiness').map((r) => r.round)).toEqual([1]);
      expect(restored.loadLedger('readiness').entries).toHaveLength(1);
      restored.close();
    } finally {
      live.remove();
      elsewhere.remove();
    }
  });

  /** A data directory holding one completed round, and a good backup of a later state. */
  async function withStateAndBackup(run: (dir: string, backup: string) => void | Promise<void>) {
    const live = tempDir();
    try {
      const store = SqliteStore.inDirectory(live.dir);
      store.initCheckpoint(checkpoint('readiness', 0, [0, 0]));
      store.commitRound(completedRound('readiness', 1), checkpoint('readiness', 1, [1, 1]));
      const backup = join(live.dir, 'backup.sqlite');
      await backupDataDir(live.dir, backup);
      store.close();
      await run(live.dir, backup);
    } finally {
      live.remove();
    }
  }

  const roundsIn = (dir: string) => {
    const store = SqliteStore.inDirectory(dir);
    try {
      return store.history('readiness').map((r) => r.round);
    } finally {
      store.close();
    }
  };

  it('refuses a corrupt backup and keeps the existing data', async () => {
    await withStateAndBackup((dir, backup) => {
      const bytes = readFileSync(backup);
      // Overwrite a page in the middle of the file (past the header) with garbage.
      for (let i = 4096; i < Math.min(bytes.length, 8192); i++) bytes[i] = (i * 31) & 0xff;
      const corrupt = join(dir, 'corrupt.sqlite');
      writeFileSync(corrupt, bytes);
      expect(() => restoreDataDir(dir, corrupt)).toThrow(/corrupt|integrity|not a readable|malformed/i);
      writeFileSync(corrupt, 'this is not a database at all, just text that goes on for a while'.repeat(100));
      expect(() => restoreDataDir(dir, corrupt)).toThrow(/SQLite/);
      expect(existsSync(join(dir, 'coordinator.sqlite.restoring'))).toBe(false);
      expect(roundsIn(dir)).toEqual([1]);
    });
  });

  it('refuses a sound SQLite file that is not a coordinator database', async () => {
    await withStateAndBackup((dir) => {
      const other = join(dir, 'other.sqlite');
      const db = new Database(other);
      db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
      db.pragma('user_version = 1');
      db.close();
      expect(() => restoreDataDir(dir, other)).toThrow(/does not have the coordinator's schema: table checkpoints is missing/);
      expect(roundsIn(dir)).toEqual([1]);
    });
  });

  it('keeps the state it replaced beside the restored one', async () => {
    await withStateAndBackup((dir, backup) => {
      const store = SqliteStore.inDirectory(dir);
      store.commitRound(completedRound('readiness', 2), checkpoint('readiness', 2, [2, 2]));
      store.close();
      const { replaced } = restoreDataDir(dir, backup, new Date('2026-12-01T10:00:00Z'));
      expect(replaced).toBe(join(dir, 'coordinator.sqlite.replaced-2026-12-01T10-00-00-000Z'));
      expect(roundsIn(dir)).toEqual([1]);
      const old = new Database(replaced!, { readonly: true });
      expect(old.prepare('SELECT COUNT(*) AS n FROM rounds').get()).toEqual({ n: 2 });
      old.close();
    });
  });

  it('refuses to restore something that is not a backup', () => {
    const dir = tempDir();
    try {
      expect(() => restoreDataDir(dir.dir, join(dir.dir, 'missing.sqlite'))).toThrow(/no backup/);
    } finally {
      dir.remove();
    }
  });

  it('is reachable from the coordinator CLI', () => {
    const dir = tempDir();
    try {
      const store = SqliteStore.inDirectory(dir.dir);
      store.initCheckpoint(checkpoint('injury', 0, [0]));
      store.close();
      const out = join(dir.dir, 'b.sqlite');
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'coordinator/src/cli.ts', 'backup', '--data-dir', dir.dir, '--out', out], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('backup written to');
      expect(r.status).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
