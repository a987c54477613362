import { concatExamples, temporalSplit, type TaskExamples } from '@huddle/shared/data';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { fitBinEdges } from './binning.ts';
import { DEFAULT_GBDT_PARAMS, fitGbdt, predictGbdt, type GbdtModel, type GbdtParams, type Matrix } from './boost.ts';
import type { GbdtLoss } from './losses.ts';

/** One athlete's rows for the pooled model: training and test examples, and for readiness the reference of its change. */
export interface PooledAthlete {
  train: TaskExamples;
  test: TaskExamples;
  /** Readiness: the value each example's change is measured from, per train and test row. */
  trainBase?: Float64Array;
  testBase?: Float64Array;
}

/** Settings searched on validation days; every one of them uses early stopping on the same days. */
export const GBDT_GRID: readonly Pick<GbdtParams, 'maxLeafNodes' | 'minSamplesLeaf'>[] = [
  { maxLeafNodes: 31, minSamplesLeaf: 20 },
  { maxLeafNodes: 31, minSamplesLeaf: 50 },
];

/** Last fraction of each athlete's training days that tunes the settings (never a test day). */
export const GBDT_VALIDATION_FRACTION = 0.2;

export interface PooledGbdtResult {
  /** Per athlete, its test-day predictions in label units. */
  predictions: Float64Array[];
  chosen: Pick<GbdtParams, 'maxLeafNodes' | 'minSamplesLeaf'> & { iterations: number; validationLoss: number };
}

function matrix(parts: readonly { ex: TaskExamples; base?: Float64Array | undefined }[]): Matrix {
  const all = concatExamples(parts.map((p) => p.ex));
  const y = Float64Array.from(all.y);
  let offset = 0;
  for (const p of parts) {
    if (p.base) for (let i = 0; i < p.ex.n; i++) y[offset + i]! -= p.base[i]!;
    offset += p.ex.n;
  }
  return { x: all.x, y, rows: all.n };
}

/**
 * The pooled boosted-trees reference: every athlete's training days in one place. Readiness targets are
 * the change from `trainBase`; injury labels are 0/1. Each setting of GBDT_GRID is fit
 * on the first days of each athlete's training period and stopped early on its last
 * GBDT_VALIDATION_FRACTION; the setting with the lowest validation loss is then refit on all training
 * days with its chosen number of trees (the last training days are the closest to the test days).
 */
export function pooledGbdt(athletes: readonly PooledAthlete[], loss: GbdtLoss): PooledGbdtResult {
  const fit: { ex: TaskExamples; base?: Float64Array }[] = [];
  const val: { ex: TaskExamples; base?: Float64Array }[] = [];
  for (const a of athletes) {
    const { train, test } = temporalSplit(a.train, GBDT_VALIDATION_FRACTION);
    fit.push({ ex: train, ...(a.trainBase && { base: a.trainBase.subarray(0, train.n) }) });
    val.push({ ex: test, ...(a.trainBase && { base: a.trainBase.subarray(train.n) }) });
  }
  const fitM = matrix(fit);
  const valM = matrix(val);
  const whole = matrix(athletes.map((a) => ({ ex: a.train, base: a.trainBase })));
  if (whole.rows === 0) throw new RangeError('the pooled boosted trees need training days');
  let chosen: PooledGbdtResult['chosen'] | null = null;
  if (fitM.rows > 0 && valM.rows > 0) {
    const edges = fitBinEdges(fitM.x, fitM.rows, FEATURE_COUNT, DEFAULT_GBDT_PARAMS.maxBins);
    for (const setting of GBDT_GRID) {
      const r = fitGbdt(fitM, FEATURE_COUNT, { ...DEFAULT_GBDT_PARAMS, ...setting, loss }, valM, edges);
      const v = r.validationLoss[r.iterations - 1]!;
      if (!chosen || v < chosen.validationLoss) chosen = { ...setting, iterations: r.iterations, validationLoss: v };
    }
  }
  // Too few days to hold any out: the first setting with every tree.
  chosen ??= { ...GBDT_GRID[0]!, iterations: DEFAULT_GBDT_PARAMS.maxIterations, validationLoss: NaN };
  const { maxLeafNodes, minSamplesLeaf, iterations } = chosen;
  const model: GbdtModel = fitGbdt(whole, FEATURE_COUNT, { ...DEFAULT_GBDT_PARAMS, maxLeafNodes, minSamplesLeaf, maxIterations: iterations, loss }).model;
  const predictions = athletes.map((a) => {
    const p = predictGbdt(model, a.test.x, a.test.n);
    if (a.testBase) for (let i = 0; i < p.length; i++) p[i]! += a.testBase[i]!;
    return p;
  });
  return { predictions, chosen };
}
