import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskExamples, temporalSplit } from '@huddle/shared/data';
import { buildAthleteFeatures } from '@huddle/shared/features';
import { groupByAthlete } from '@huddle/shared/log';
import { buildTaskConfigs } from '../../coordinator/src/ops/taskConfigs.ts';
import { runSimulate, tempDirForFile } from './helpers/runSimulate.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';
import { trainingPeriod } from '../src/sim/validationSplit.ts';
import type { TuneOutcome } from '../src/tune/runTune.ts';

const dir = tempDirForFile('huddle-tune-');

describe('validation days for tuning', () => {
  it('drop every row from each athlete’s first test day on, so no test day can be scored or trained on', () => {
    const data = loadSimDataset(resolveOptions({ athletes: 12, days: 120, task: 'readiness' }));
    const kept = groupByAthlete(trainingPeriod(data, 'readiness', 0.2).rows);
    let checked = 0;
    for (const [id, rows] of groupByAthlete(data.rows)) {
      const f = buildAthleteFeatures(rows);
      const { test } = temporalSplit(taskExamples(f, 'readiness'), 0.2);
      if (test.n === 0) continue;
      const firstTest = f.dates[test.days[0]!]!;
      const left = kept.get(id) ?? [];
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((r) => r.date < firstTest)).toBe(true);
      expect(left.length).toBe(rows.filter((r) => r.date < firstTest).length);
      checked++;
    }
    expect(checked).toBe(12);
  });
});

describe('pnpm simulate tune', () => {
  it('scores each grid point on validation days and writes the best as a task config the coordinator accepts', async () => {
    const grid = join(dir, 'grid.json');
    writeFileSync(grid, JSON.stringify({ modelSettings: { learningRate: [0.02, 0.4] } }));
    const out = join(dir, 'tuned.json');
    const r = await runSimulate(['tune', '--task', 'readiness', '--athletes', '10', '--days', '100', '--rounds', '2', '--clients-per-round', '5', '--grid', grid, '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const outcome = JSON.parse(r.stdout) as TuneOutcome;
    expect(outcome.points.map((p) => p.id)).toEqual(['learningRate=0.02', 'learningRate=0.4']);
    for (const p of outcome.points) {
      expect(p.validationDays).toBeGreaterThan(0);
      expect(p.lo!).toBeLessThanOrEqual(p.value!);
      expect(p.hi!).toBeGreaterThanOrEqual(p.value!);
    }
    const best = [...outcome.points].sort((a, b) => a.value! - b.value!)[0]!;
    expect(outcome.chosen).toBe(best.id);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, { model: { learningRate: number } }>;
    expect(written).toEqual(outcome.taskConfig);
    expect(written.readiness!.model.learningRate).toBe(Number(best.id.split('=')[1]));
    const built = buildTaskConfigs({ tasks: ['readiness'], clientsPerRound: 5, minClients: 3, roundTimeoutMs: 60_000, overrides: written, security: 'open', insecureNoSecagg: false, dp: true });
    expect(built.ok && built.configs[0]!.model!.learningRate).toBe(written.readiness!.model.learningRate);
  }, 120_000);

  it('refuses a metric that does not fit the task, and a malformed grid, with exit code 2', async () => {
    const bad = await runSimulate(['tune', '--task', 'injury', '--metric', 'mae']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metric mae does not fit injury: use logLoss, brier, auc/);
    const grid = join(dir, 'bad-grid.json');
    writeFileSync(grid, JSON.stringify({ modelSettings: { depth: [3] } }));
    const malformed = await runSimulate(['tune', '--task', 'readiness', '--grid', grid]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--grid .*bad-grid\.json: modelSettings/);
  });
});
