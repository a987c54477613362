import { FEATURE_COUNT } from '@huddle/shared/features';
import type { TaskId } from '@huddle/shared/model';
import type { Cohort } from './cohort.ts';
import {
  binaryMetrics,
  calibration,
  regressionMetrics,
  ruleMetrics,
  withSubgroups,
  type BinaryMetrics,
  type CalibrationRow,
  type RegressionMetrics,
  type RuleMetrics,
  type WithSubgroups,
} from './metrics.ts';

export type BinaryResult = WithSubgroups<BinaryMetrics> & { calibration: CalibrationRow[] };
export type RegressionResult = WithSubgroups<RegressionMetrics>;
export type MethodResult = BinaryResult | RegressionResult;
export type RuleResult = WithSubgroups<RuleMetrics>;

/** Every evaluated athlete's test days, concatenated in cohort order, with each row's subgroups. */
export interface TestSet {
  task: TaskId;
  x: Float32Array;
  labels: Float64Array;
  groups: Record<string, string>[];
  /** Row ranges of each evaluated athlete, in `cohort.evaluated` order. */
  offsets: number[];
}

export function testSetOf(cohort: Cohort): TestSet {
  const offsets = [0];
  for (const a of cohort.evaluated) offsets.push(offsets[offsets.length - 1]! + a.test.n);
  const labels = new Float64Array(offsets[offsets.length - 1]!);
  const x = new Float32Array(labels.length * FEATURE_COUNT);
  const groups: Record<string, string>[] = [];
  cohort.evaluated.forEach((a, i) => {
    labels.set(a.test.y, offsets[i]!);
    x.set(a.test.x, offsets[i]! * FEATURE_COUNT);
    for (let r = 0; r < a.test.n; r++) groups.push(a.attributes);
  });
  return { task: cohort.task, x, labels, groups, offsets };
}

/** Concatenates per-athlete predictions (one array per evaluated athlete) into test-set order. */
export function joinPredictions(test: TestSet, perAthlete: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(test.labels.length);
  perAthlete.forEach((p, i) => {
    if (p.length !== test.offsets[i + 1]! - test.offsets[i]!) throw new Error(`athlete ${i}: ${p.length} predictions for ${test.offsets[i + 1]! - test.offsets[i]!} test days`);
    out.set(p, test.offsets[i]!);
  });
  return out;
}

export function scoreMethod(test: TestSet, predictions: ArrayLike<number>): MethodResult {
  if (test.task === 'injury') {
    return { ...withSubgroups(predictions, test.labels, test.groups, binaryMetrics), calibration: calibration(predictions, test.labels) };
  }
  return withSubgroups(predictions, test.labels, test.groups, regressionMetrics);
}

export function scoreRule(test: TestSet, scores: ArrayLike<number>, threshold: number): RuleResult {
  return withSubgroups(scores, test.labels, test.groups, (s, l) => ruleMetrics(s, l, threshold));
}

/** The compact per-round view of a model's test-set performance. */
export function roundMetrics(test: TestSet, predictions: ArrayLike<number>): Record<string, number | null> {
  if (test.task === 'injury') {
    const { auc, prAuc, brier, logLoss } = binaryMetrics(predictions, test.labels);
    return { auc, prAuc, brier, logLoss };
  }
  const { mae, rmse } = regressionMetrics(predictions, test.labels);
  return { mae, rmse };
}
