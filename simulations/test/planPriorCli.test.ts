import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatDailyLogCsv, groupByAthlete } from '@huddle/shared/log';
import { DEFAULT_PRIOR, type PublishedPrior } from '@huddle/shared/twin';
import { generateSyntheticFederation } from '../src/index.ts';
import { main } from '../src/cli/plan.ts';

const dir = mkdtempSync(join(tmpdir(), 'huddle-plan-prior-'));
const rows = groupByAthlete(generateSyntheticFederation({ athletes: 1, days: 240, seed: 5 })).values().next().value!;
const csv = join(dir, 'log.csv');
writeFileSync(csv, formatDailyLogCsv(rows));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  return main(args).then((code) => ({ code, stdout, stderr }));
}

describe('npm run plan with a prior file', () => {
  it('fits the twin under a published prior and says which prior it used', async () => {
    // A narrow prior far from the built-in one: the fit must move toward it.
    const published: PublishedPrior = {
      prior: { ...DEFAULT_PRIOR, logFatigueTau: { mean: Math.log(4), sd: 0.05 }, athletes: 120 },
      rounds: 8, publishedAt: '2026-12-02T06:00:00.000Z', task: 'readiness', secureAggregation: true, noise: 'distributed', noiseMultiplier: 0.5,
    };
    const file = join(dir, 'prior.json');
    writeFileSync(file, JSON.stringify(published));
    const withPrior = await run(['twin', '--csv', csv, '--prior', file]);
    expect(withPrior.code).toBe(0);
    expect(withPrior.stderr).toContain("Population prior: the federation's, learned on 2026-12-02 from 120 athletes");
    const builtIn = await run(['twin', '--csv', csv]);
    expect(builtIn.stderr).toContain('Population prior: the built-in default');
    const fatigue = (out: string) => (JSON.parse(out) as { fit: { params: { fatigueTau: number } } }).fit.params.fatigueTau;
    expect(Math.abs(fatigue(withPrior.stdout) - 4)).toBeLessThan(Math.abs(fatigue(builtIn.stdout) - 4));
  });

  it('refuses a prior file that is not a prior, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_PRIOR, residualSd: -1 }));
    const r = await run(['twin', '--csv', csv, '--prior', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--prior .*bad\.json: not a twin prior: residualSd: Too small/);
  });
});
