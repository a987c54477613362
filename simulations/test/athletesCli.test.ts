import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { silentLogger } from '@huddle/shared/util';
import { main } from '../src/cli/athletes.ts';

const dir = mkdtempSync(join(tmpdir(), 'huddle-athletes-'));
let running: RunningCoordinator;

beforeAll(async () => {
  running = await startCoordinator({
    port: 0,
    dataDir: dir,
    logger: silentLogger,
    security: 'enrolled',
    tasks: [defaultTaskConfig('readiness', { clientsPerRound: 3, minClients: 3, roundTimeoutMs: 60_000 })],
  });
});
afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

function capture() {
  const text = { stdout: '', stderr: '' };
  return { text, out: { stdout: (s: string) => void (text.stdout += s), stderr: (s: string) => void (text.stderr += s) } };
}

describe('npm run athletes', () => {
  it('enrolls N synthetic athletes with invites it makes, and they take part in a round until stopped', async () => {
    const { text, out } = capture();
    const stop = new AbortController();
    const exited = main(['--coordinator', running.url, '--admin-token', running.adminToken!, '--count', '3', '--tasks', 'readiness', '--days', '120'], out, stop.signal);
    await expect.poll(() => text.stdout, { timeout: 60_000 }).toMatch(/^3 synthetic athletes enrolled and connected to http:\/\/127\.0\.0\.1:\d+ \(tasks: readiness\)/);
    await running.coordinator.waitForClients('readiness', 3, 30_000);
    const record = await running.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.reported).toHaveLength(3);
    stop.abort();
    expect(await exited).toBe(0);
    expect(text.stderr).toMatch(/trained readiness round 1 on \d+ days/);
  });

  it('refuses an invite it cannot use, and usage errors exit 2', async () => {
    const { text, out } = capture();
    await expect(main(['--coordinator', running.url, '--invites', 'NOPE1-NOPE2'], out)).rejects.toThrow();
    expect(await main(['--coordinator', running.url], out)).toBe(2);
    expect(await main(['--coordinator', running.url, '--invites', 'A', '--admin-token', 'x', '--count', '1'], out)).toBe(2);
    expect(await main(['--coordinator', running.url, '--count', '2', '--admin-token', 'x', '--tasks', 'sleep'], out)).toBe(2);
    expect(text.stderr).toMatch(/either --invites CODE,\.\.\. or --admin-token T --count N[\s\S]*unknown task\(s\): sleep/);
  });
});
