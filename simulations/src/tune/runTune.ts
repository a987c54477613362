import type { TaskId } from '@huddle/shared/model';
import type { TaskConfig } from '@huddle/shared/protocol';
import { resolveOptions, type SimOptionsInput } from '../sim/options.ts';
import { runSimulation } from '../sim/runSimulation.ts';
import type { SimResults } from '../sim/resultsSchema.ts';
import { higherIsBetter, tunePoints, type TuneGridFile, type TuneMetric, type TunePoint } from './tuneGrid.ts';

export interface TunedPoint {
  id: string;
  /** The federated model's metric on validation days, with its 95% interval bootstrapped over athletes. */
  value: number | null;
  lo: number | null;
  hi: number | null;
  validationDays: number;
  athletes: number;
  positiveDays?: number;
}

export interface TuneOutcome {
  task: TaskId;
  metric: TuneMetric;
  rounds: number;
  points: TunedPoint[];
  chosen: string;
  /** What `coordinator --task-config FILE` reads: the searched settings of the chosen point, per task. */
  taskConfig: Record<string, Record<string, unknown>>;
}

export interface TuneHooks {
  onPoint?(point: TunedPoint, index: number, total: number): void;
  onWarning?(message: string): void;
}

/**
 * Runs the deployed federation once per grid point on validation days (each athlete's training period split again:
 * test days are never loaded) and keeps the point with the best federated metric.
 */
export async function runTune(base: SimOptionsInput, metric: TuneMetric, grid: TuneGridFile, hooks: TuneHooks = {}): Promise<TuneOutcome> {
  const points = tunePoints(grid);
  const o = resolveOptions({ ...base, validation: true });
  const scored: { point: TunePoint; result: TunedPoint; run: SimResults }[] = [];
  for (const [i, point] of points.entries()) {
    const run = await runSimulation(
      { ...base, ...point.set, ...(point.set.modelSettings || base.modelSettings ? { modelSettings: { ...base.modelSettings, ...point.set.modelSettings } } : {}), validation: true },
      { onWarning: (m) => hooks.onWarning?.(`${point.id}: ${m}`) },
    );
    const f = run.final.federated as unknown as Record<string, unknown> & { n: number; athletes: number; positives?: number; ci: Record<string, { lo: number | null; hi: number | null }> };
    const value = typeof f[metric] === 'number' ? (f[metric] as number) : null;
    const result: TunedPoint = { id: point.id, value, lo: f.ci[metric]?.lo ?? null, hi: f.ci[metric]?.hi ?? null, validationDays: f.n, athletes: f.athletes, ...(f.positives !== undefined ? { positiveDays: f.positives } : {}) };
    scored.push({ point, result, run });
    hooks.onPoint?.(result, i, points.length);
  }
  const better = (a: number, b: number) => (higherIsBetter(metric) ? a > b : a < b);
  const best = scored.filter((s) => s.result.value !== null).reduce<(typeof scored)[number] | null>((acc, s) => (acc === null || better(s.result.value!, acc.result.value!) ? s : acc), null);
  if (!best) throw new Error(`no grid point gave a ${metric} on validation days`);
  const chosenConfig = best.run.config.derived.taskConfig as unknown as TaskConfig;
  const settings: Record<string, unknown> = {};
  if (grid.modelSettings && chosenConfig.model) settings.model = chosenConfig.model;
  if (grid.fit) settings.fit = Object.fromEntries(Object.keys(grid.fit).map((k) => [k, chosenConfig.fit[k as 'learningRate' | 'localEpochs']]));
  return { task: o.task, metric, rounds: o.rounds, points: scored.map((s) => s.result), chosen: best.point.id, taskConfig: { [o.task]: settings } };
}
