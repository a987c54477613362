import { z } from 'zod';
import type { ModelKind, TaskId } from '@huddle/shared/model';
import { defaultTaskConfig, defaultModelSettings } from '@huddle/shared/protocol';
import type { SimOptionsInput } from '../sim/options.ts';
import { SimUsageError } from '../sim/usageError.ts';

/** What a tuning run ranks points by, on validation days; lower is better except AUC. */
export const TUNE_METRICS = { readiness: ['mae', 'rmse'], injury: ['logLoss', 'brier', 'auc'] } as const;
export type TuneMetric = 'mae' | 'rmse' | 'logLoss' | 'brier' | 'auc';

export const higherIsBetter = (m: TuneMetric): boolean => m === 'auc';

/** One grid point: the simulator options it sets over the run's own. */
export interface TunePoint {
  id: string;
  set: Pick<SimOptionsInput, 'modelSettings' | 'learningRate' | 'localEpochs'>;
}

/** A grid file: `{"modelSettings": {"learningRate": [0.05, 0.1]}, "fit": {"localEpochs": [1, 2]}}`; the grid is the product. */
export const tuneGridFileSchema = z
  .object({
    modelSettings: z.partialRecord(z.enum(['loss', 'huberDelta', 'learningRate', 'l2', 'monotone', 'smoothing', 'averaging', 'pairTerms', 'step', 'meanForecast', 'treeDepth', 'treeCount', 'treeLevelRounds']), z.array(z.unknown()).min(1)).optional(),
    fit: z.partialRecord(z.enum(['learningRate', 'localEpochs']), z.array(z.unknown()).min(1)).optional(),
  })
  .strict()
  .refine((g) => Object.keys(g.modelSettings ?? {}).length + Object.keys(g.fit ?? {}).length > 0, 'give at least one axis');
export type TuneGridFile = z.infer<typeof tuneGridFileSchema>;

/**
 * The default search, around the task's defaults (which it always contains): the additive model's or the trees' server step and
 * L2 penalty, and for readiness the losses that suit the metric; the network's client learning rate and local epochs.
 */
export function defaultTuneGrid(task: TaskId, kind: ModelKind, metric: TuneMetric): TuneGridFile {
  if (kind === 'network') {
    const lr = defaultTaskConfig(task).fit.learningRate;
    return { fit: { learningRate: [lr / 2, lr, lr * 2], localEpochs: [1, 2] } };
  }
  const d = defaultModelSettings(task, kind);
  const around = (v: number) => [v / 2, v, v * 2];
  if (task === 'injury') return { modelSettings: { learningRate: around(d.learningRate), l2: around(d.l2) } };
  const losses = metric === 'mae' ? ['absolute', 'huber'] : ['squared', 'huber'];
  return { modelSettings: { learningRate: around(d.learningRate), loss: [...new Set([d.loss, ...losses])] } };
}

export function tunePoints(grid: TuneGridFile): TunePoint[] {
  const axes: { group: 'modelSettings' | 'fit'; key: string; values: unknown[] }[] = [];
  for (const [key, values] of Object.entries(grid.modelSettings ?? {})) axes.push({ group: 'modelSettings', key, values });
  for (const [key, values] of Object.entries(grid.fit ?? {})) axes.push({ group: 'fit', key, values });
  let combos: { group: string; key: string; value: unknown }[][] = [[]];
  for (const a of axes) combos = combos.flatMap((c) => a.values.map((value) => [...c, { group: a.group, key: a.key, value }]));
  return combos.map((c) => {
    const modelSettings = Object.fromEntries(c.filter((x) => x.group === 'modelSettings').map((x) => [x.key, x.value]));
    const fit = Object.fromEntries(c.filter((x) => x.group === 'fit').map((x) => [x.key, x.value]));
    const set: TunePoint['set'] = {
      ...(Object.keys(modelSettings).length > 0 ? { modelSettings } : {}),
      ...(fit.learningRate !== undefined ? { learningRate: fit.learningRate as number } : {}),
      ...(fit.localEpochs !== undefined ? { localEpochs: fit.localEpochs as number } : {}),
    };
    return { id: c.map((x) => `${x.key}=${String(x.value)}`).join(','), set };
  });
}

export function checkMetric(task: TaskId, metric: string): TuneMetric {
  const allowed: readonly string[] = TUNE_METRICS[task];
  if (!allowed.includes(metric)) throw new SimUsageError(`--metric ${metric} does not fit ${task}: use ${allowed.join(', ')}`);
  return metric as TuneMetric;
}
