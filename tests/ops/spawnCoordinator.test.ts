import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCoordinator, type SpawnedCoordinator } from './helpers/spawnCoordinator.ts';

describe('spawnCoordinator helper', () => {
  let running: SpawnedCoordinator | null = null;
  let dir = '';
  afterEach(async () => {
    await running?.stop('SIGKILL');
    running = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the CLI on a free port and finds its URL', async () => {
    dir = mkdtempSync(join(tmpdir(), 'huddle-ops-'));
    running = await spawnCoordinator(['--data-dir', dir, '--tasks', 'readiness', '--rounds', '1']);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${running.url}/health`);
    expect(health.status).toBe(200);
    expect(await running.stop('SIGKILL')).toBe('SIGKILL');
  });
});
