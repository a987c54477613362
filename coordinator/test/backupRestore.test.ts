import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
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
