import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDataDir, restoreDataDir } from '../../coordinator/src/ops/backup.ts';
import { rotateAdminToken } from '../../coordinator/src/ops/adminToken.ts';
import { spawnCoordinator, type SpawnedCoordinator } from './helpers/spawnCoordinator.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'coordinator/src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('one coordinator per data directory (two real processes)', () => {
  let running: SpawnedCoordinator | null = null;
  let dir = '';
  afterEach(async () => {
    await running?.stop('SIGKILL');
    running = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a second coordinator, restore and admin-token are refused while one runs, naming its pid; after kill -9 the stale lock is taken over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'huddle-lock-'));
    running = await spawnCoordinator(['--data-dir', dir, '--tasks', 'readiness']);
    const pid = running.child.pid!;
    // Enrolled mode's defaults (secure aggregation, distributed DP, a budget) leave nothing to warn about.
    expect((await (await fetch(`${running.url}/health`)).json()).warnings).toEqual([]);
    const db = join(dir, 'coordinator.sqlite');
    const backup = join(dir, 'backup.sqlite');
    await backupDataDir(dir, backup);
    const before = statSync(db).mtimeMs;

    const second = cli(['--port', '0', '--data-dir', dir, '--tasks', 'readiness']);
    expect(second.status).toBe(3);
    expect(second.stderr).toContain(`coordinator pid ${pid}`);

    const restore = cli(['restore', '--data-dir', dir, '--from', backup]);
    expect(restore.status).toBe(3);
    expect(restore.stderr).toContain(`in use by coordinator pid ${pid}`);
    expect(restore.stdout).toBe('');
    expect(statSync(db).mtimeMs).toBe(before);

    expect(() => rotateAdminToken(dir)).toThrow(`in use by coordinator pid ${pid}`);

    expect(await running.stop('SIGKILL')).toBe('SIGKILL');
    running = null;
    // The lock file is left behind by the dead process; its pid is gone, so the lock is stale.
    expect(restoreDataDir(dir, backup).replaced).toMatch(/coordinator\.sqlite\.replaced-/);
  });
});
