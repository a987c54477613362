import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_MODEL_SETTINGS } from '@huddle/shared/protocol';
import { addSimulationFlags, simOptionsFromFlags } from '../sim/flags.ts';
import { SimUsageError } from '../sim/options.ts';
import { writeJsonAtomic } from '../sweep/pointFiles.ts';
import { runTune, type TunedPoint } from '../tune/runTune.ts';
import { checkMetric, defaultTuneGrid, tuneGridFileSchema, type TuneGridFile } from '../tune/tuneGrid.ts';
import type { CliOutput } from './simulate.ts';

const TUNE_FLAGS = new Set(['metric', 'grid', 'out', 'json']);

function readGrid(path: string): TuneGridFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SimUsageError(`--grid ${path}: ${(err as Error).message}`);
  }
  const parsed = tuneGridFileSchema.safeParse(raw);
  if (!parsed.success) throw new SimUsageError(`--grid ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
const line = (p: TunedPoint, metric: string) =>
  `${p.id}: ${metric} ${fmt(p.value)} [${fmt(p.lo)}, ${fmt(p.hi)}] on ${p.validationDays} validation days of ${p.athletes} athletes${p.positiveDays !== undefined ? ` (${p.positiveDays} positive)` : ''}`;

export function tuneCommand(out: CliOutput, setExitCode: (code: number) => void): Command {
  return addSimulationFlags(new Command('tune').description('search training settings on validation days inside the training period (test days are never read) and write a task-config JSON for `coordinator --task-config`'))
    .option('--metric <m>', 'what to rank by on validation days: readiness mae (default) or rmse; injury logLoss (default), brier or auc')
    .option('--grid <file>', 'JSON axes, e.g. {"modelSettings": {"learningRate": [0.05, 0.1]}, "fit": {"localEpochs": [1, 2]}} (default: around the task defaults)')
    .option('--out <file>', 'where the task-config JSON goes (default tuned-TASK.json)')
    .option('--json', 'print every point and the choice as JSON')
    .action(async (flags: Record<string, unknown>) => {
      const base = simOptionsFromFlags(Object.fromEntries(Object.entries(flags).filter(([k]) => !TUNE_FLAGS.has(k))));
      const task = (base.task ?? 'injury') as 'injury' | 'readiness';
      const metric = checkMetric(task, typeof flags.metric === 'string' ? flags.metric : task === 'readiness' ? 'mae' : 'logLoss');
      const kind = base.model ?? DEFAULT_MODEL_SETTINGS[task].kind;
      const grid = typeof flags.grid === 'string' ? readGrid(flags.grid) : defaultTuneGrid(task, kind, metric);
      const outcome = await runTune({ rounds: 30, ...base }, metric, grid, {
        onPoint: (p, i, total) => out.stderr(`[tune] ${i + 1}/${total} ${line(p, metric)}\n`),
        onWarning: (m) => out.stderr(`[tune] warning: ${m}\n`),
      });
      const path = typeof flags.out === 'string' ? flags.out : `tuned-${task}.json`;
      writeJsonAtomic(path, outcome.taskConfig);
      if (flags.json) out.stdout(`${JSON.stringify(outcome)}\n`);
      else {
        const chosen = outcome.points.find((p) => p.id === outcome.chosen)!;
        out.stdout(
          `${outcome.points.map((p) => line(p, metric)).join('\n')}\n\nchosen on validation days: ${line(chosen, metric)}\n` +
            `Intervals of different points overlap when the data cannot tell them apart; then the choice is a coin toss, not evidence.\n` +
            `task config written to ${resolve(path)}: pnpm coordinator --task-config ${path}\n`,
        );
      }
      setExitCode(0);
    });
}
