import { buildEvaluationVector, EVAL_MAX_DAYS, loadStandingBin, type EvaluationKind } from '@huddle/shared/aggregation';
import { sliceExamples } from '@huddle/shared/data';
import type { DailyLogRow } from '@huddle/shared/log';
import { ownInjuryRate, ownMean, persistencePredictions, summarizePredictions, type LocalEvaluation } from '@huddle/shared/model';
import type { DayLabels, TaskSplit } from './localData.ts';
import type { TaskModel } from './localFit.ts';

/** Days behind "where you stand": mean readiness over the last 28 logged days, load summed over the last 7 calendar days. */
const STANDING_READINESS_DAYS = 28;
const STANDING_LOAD_DAYS = 7;

export interface LocalEvaluationResult {
  kind: EvaluationKind;
  evaluation: LocalEvaluation;
  /** The evaluation vector in natural units (counts, sums, this athlete's own mean errors, standing). */
  vector: Float64Array;
}

/**
 * Scores a candidate model and the athlete's own heuristic (injury: its own injury rate; readiness: persistence) on
 * its latest held-out days, and builds the evaluation vector. Nothing per day survives.
 */
export function evaluateLocally(model: TaskModel, weights: Float32Array, split: TaskSplit | null, features: DayLabels | null, rows: readonly DailyLogRow[]): LocalEvaluationResult {
  const kind: EvaluationKind = model.spec.loss === 'binaryCrossentropy' ? 'binary' : 'regression';
  const all = split?.test ?? { x: new Float32Array(0), y: new Float32Array(0), n: 0, days: [] };
  const test = all.n > EVAL_MAX_DAYS ? sliceExamples(all, all.n - EVAL_MAX_DAYS, all.n) : all;
  const predicted = model.family.predict(model.spec, model.settings, weights, test.x, test.n);
  const evaluation = summarizePredictions(model.spec, predicted, test.y, model.family.predictMean(model.spec, model.settings, weights, test.x, test.n));
  let modelError: number | undefined;
  let heuristicError: number | undefined;
  if (test.n > 0 && split && features) {
    const heuristic = kind === 'binary' ? new Float64Array(test.n).fill(ownInjuryRate(split.train)) : persistencePredictions(features, test, ownMean(split.train, 5));
    const error = kind === 'binary' ? (p: number, y: number) => (p - y) ** 2 : (p: number, y: number) => Math.abs(p - y);
    let m = 0;
    let h = 0;
    for (let i = 0; i < test.n; i++) {
      m += error(predicted[i]!, test.y[i]!);
      h += error(heuristic[i]!, test.y[i]!);
    }
    modelError = m / test.n;
    heuristicError = h / test.n;
  }
  const vector = buildEvaluationVector(kind, {
    days: evaluation.numExamples,
    sumLoss: evaluation.sumLoss,
    summary: evaluation.summary,
    ...(modelError !== undefined && heuristicError !== undefined ? { model: modelError, heuristic: heuristicError } : {}),
    ...(kind === 'regression' ? { standing: standingOf(rows) } : {}),
  });
  return { kind, evaluation, vector };
}

/** The athlete's standing bins from its own latest rows (null bins when it logged nothing recent). */
export function standingOf(rows: readonly DailyLogRow[]): { readinessBin: number | null; loadBin: number | null } {
  if (rows.length === 0) return { readinessBin: null, loadBin: null };
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const readiness = sorted.flatMap((r) => (r.readiness !== null ? [r.readiness] : [])).slice(-STANDING_READINESS_DAYS);
  const last = sorted[sorted.length - 1]!.date;
  const from = new Date(`${last}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - (STANDING_LOAD_DAYS - 1));
  const since = from.toISOString().slice(0, 10);
  const week = sorted.filter((r) => r.date >= since && r.srpeLoad !== null);
  return {
    readinessBin: readiness.length > 0 ? Math.round(readiness.reduce((a, b) => a + b, 0) / readiness.length) : null,
    loadBin: week.length > 0 ? loadStandingBin(week.reduce((s, r) => s + r.srpeLoad!, 0)) : null,
  };
}
