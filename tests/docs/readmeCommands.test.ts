import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/spawnCoordinator.ts';

interface Checked {
  file: string;
  line: string;
  status: 'passed' | 'failed' | 'skipped';
  ran?: string;
  reason?: string;
  error?: string;
  output?: string;
}

describe('the npm commands in README.md and docs/*.md', () => {
  // Every `npm run` line, pasted into a shell as written (outputs into a temp folder, simulate with tiny
  // settings, servers stopped after their ready line): see scripts/check-readme-commands.mjs.
  it('work with npm alone: every one that is run exits 0 or reaches its ready line', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'check-readme-commands.mjs'), '--json'], { cwd: repoRoot, timeout: 280_000, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '[]' }));
    const results = JSON.parse(stdout) as Checked[];
    const failed = results.filter((r) => r.status === 'failed').map((r) => `${r.file}: ${r.line}\n  ran: ${r.ran}\n  ${r.error}\n${r.output}`);
    expect(failed).toEqual([]);
    const ran = (script: string) => results.filter((r) => r.status === 'passed' && r.line.startsWith(`npm run ${script}`)).length;
    expect(results.find((r) => r.file === 'README.md' && r.line === 'npm run demo')?.status).toBe('passed');
    for (const script of ['demo', 'coordinator', 'athletes', 'simulate', 'privacy', 'synth', 'bench']) expect(ran(script), script).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 'skipped')) expect(r.reason, r.line).toMatch(/\w/);
  }, 300_000);
});
