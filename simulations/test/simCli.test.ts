import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDailyLogCsv } from '@huddle/shared/log';
import { runSimulate, tempDirForFile } from './helpers/runSimulate.ts';
import { resultsSchema } from '../src/sim/resultsSchema.ts';
import { generateSyntheticFederation } from '../src/synthetic/index.ts';

const dir = tempDirForFile('huddle-simcli-');

describe('pnpm simulate: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['median with secure aggregation', ['--strategy', 'median', '--secure-aggregation'], /--strategy: median needs each client's update, which secure aggregation hides/],
    ['trimmed mean with secure aggregation', ['--strategy', 'trimmed-mean', '--secure-aggregation'], /--strategy: trimmed-mean needs each client's update/],
    ['epsilon without delta', ['--target-epsilon', '2'], /--target-epsilon needs --delta/],
    ['noise and target epsilon', ['--noise-multiplier', '1', '--target-epsilon', '2', '--delta', '1e-5'], /either --noise-multiplier or --target-epsilon, not both/],
    ['holdout with temporal protocol', ['--holdout-fraction', '0.3'], /--holdout-fraction only applies with --protocol unseen/],
    ['bad straggler model', ['--stragglers', 'gamma:3'], /stragglers "gamma:3" is not one of/],
    ['bad number', ['--rounds', 'ten'], /--rounds <r>' argument 'ten' is invalid/],
    ['a number out of the engine range', ['--local-epochs', '101'], /--local-epochs: .*100/],
    ['neighbours without secure aggregation', ['--neighbours', '4'], /--neighbours only applies with --secure-aggregation/],
    ['unknown strategy', ['--strategy', 'fedsgd'], /argument 'fedsgd' is invalid.*fedavg/],
    ['a hyperparameter of another strategy', ['--server-lr', '0.1'], /--server-lr: serverLearningRate only applies to strategy fedadam or fedyogi or fedavgm/],
    ['distributed noise without secure aggregation', ['--noise-multiplier', '1', '--delta', '1e-5', '--dp-mode', 'distributed'], /--dp-mode: distributed noise needs secure aggregation/],
    ['missing dataset file', ['--dataset', join(dir, 'nope.csv')], /no such file/],
  ];
  for (const [name, argv, message] of cases) {
    it(`refuses ${name} with exit code 2`, async () => {
      const r = await runSimulate(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }

  it('runs a federation smaller than a round as the engine would: every round asks every athlete, with a warning', async () => {
    const r = await runSimulate(['--athletes', '5', '--days', '90', '--task', 'readiness', '--rounds', '2']);
    expect(r.stderr).toMatch(/warning: --clients-per-round 10 exceeds the 5 training athletes: every round asks all of them/);
    expect(r.stderr).toMatch(/round 2\/2 completed: 5 updates/);
    expect(r.code).toBe(0);
  });

  it('prints help with exit code 0 and accepts a literal --', async () => {
    const r = await runSimulate(['--', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--clients-per-round/);
    expect(r.stdout).toMatch(/sweep/);
  });
});

describe('pnpm simulate: a run', () => {
  it('writes results that validate and a report, and reports bad CSV rows it skipped and a column it ignored', async () => {
    const rows = generateSyntheticFederation({ athletes: 8, days: 120, seed: 4 });
    const lines = formatDailyLogCsv(rows).trimEnd().split('\n').map((line, i) => `${line},${i === 0 ? 'notes' : 'ok'}`);
    lines.splice(5, 0, 'syn-0001,2024-13-45,100,5,3,3,3,3,3,8,0,,,,,ok', 'syn-0002,2023-06-01,-5,5,3,3,3,3,3,8,0,,,,,ok');
    const csv = join(dir, 'log.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const out = join(dir, 'results.json');
    const report = join(dir, 'report.html');
    const r = await runSimulate(['--dataset', csv, '--rounds', '2', '--clients-per-round', '4', '--out', out, '--report', report]);
    expect(r.stderr).toMatch(/skipped 2 bad rows/);
    expect(r.stderr).toMatch(/row 1 notes: unknown column 'notes' ignored/);
    expect(r.stderr).toContain(`results JSON written to ${out}`);
    expect(r.stderr).toContain(`HTML report written to ${report}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/federated/);
    const results = resultsSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(results.dataset.skippedRows).toBe(2);
    expect(results.dataset.rowErrors.map((e) => e.row)).toEqual([6, 7]);
    expect(results.dataset.athletes).toBe(8);
    expect(existsSync(report)).toBe(true);
  });
});
