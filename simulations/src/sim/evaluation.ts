import { clusterBootstrap, percentileInterval, type WeightedStatistic } from '@huddle/shared/metrics';
import { FEATURE_COUNT } from '@huddle/shared/features';
import type { TaskId } from '@huddle/shared/model';
import type { Cohort } from './cohort.ts';
import { compare, type Comparison, type ComparisonPair, type MethodDraws } from './comparisons.ts';
import {
  assembleMetrics,
  calibration,
  countsOf,
  methodStatistics,
  modelMethod,
  num,
  type AnyMetrics,
  type BinaryMetrics,
  type CalibrationRow,
  type Ci,
  type MethodPredictions,
  type RegressionMetrics,
  type RuleMetrics,
  type Subgroups,
  type WithSubgroups,
} from './metrics.ts';

export type BinaryResult = WithSubgroups<BinaryMetrics> & { calibration: CalibrationRow[] };
export type RegressionResult = WithSubgroups<RegressionMetrics>;
export type MethodResult = BinaryResult | RegressionResult;
export type RuleResult = WithSubgroups<RuleMetrics>;
export type AnyResult = MethodResult | RuleResult;

/** Resamples of athletes behind every interval, and behind each subgroup's (fewer: there are many subgroups). */
export const BOOTSTRAP_RESAMPLES = 1000;
export const SUBGROUP_RESAMPLES = 200;
export const INTERVAL_LEVEL = 0.95;

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

export interface BootstrapSettings {
  resamples: number;
  seed: number;
}

interface Scored {
  metrics: Record<string, AnyMetrics>;
  draws: MethodDraws;
}

/** Every method's metrics with intervals on one set of athletes' rows, all on the same resamples. */
function scoreOn(labels: Float64Array, offsets: readonly number[], methods: Record<string, MethodPredictions>, b: BootstrapSettings): Scored {
  const keys = Object.keys(methods);
  const stats: { method: string; metric: string; f: WeightedStatistic }[] = [];
  for (const key of keys) for (const [metric, f] of Object.entries(methodStatistics(methods[key]!, labels, offsets))) stats.push({ method: key, metric, f });
  const { estimates, draws } = clusterBootstrap(offsets, stats.map((s) => s.f), { resamples: b.resamples, seed: b.seed });
  const d: MethodDraws = { estimates: {}, draws: {} };
  stats.forEach((s, i) => {
    (d.estimates[s.method] ??= {})[s.metric] = estimates[i]!;
    (d.draws[s.method] ??= {})[s.metric] = draws[i]!;
  });
  const counts = countsOf(labels, offsets);
  const metrics: Record<string, AnyMetrics> = {};
  for (const key of keys) {
    const intervals: Record<string, Ci> = {};
    for (const [metric, dr] of Object.entries(d.draws[key]!)) {
      const { lo, hi } = percentileInterval(dr, INTERVAL_LEVEL);
      intervals[metric] = { lo: num(lo), hi: num(hi) };
    }
    metrics[key] = assembleMetrics(methods[key]!, counts, d.estimates[key]!, intervals);
  }
  return { metrics, draws: d };
}

/** The rows of the athletes whose attributes match, with each method's predictions on them. */
function subset(test: TestSet, methods: Record<string, MethodPredictions>, athletes: number[]) {
  const offsets = [0];
  const rows: number[] = [];
  for (const a of athletes) {
    for (let r = test.offsets[a]!; r < test.offsets[a + 1]!; r++) rows.push(r);
    offsets.push(rows.length);
  }
  const labels = Float64Array.from(rows, (r) => test.labels[r]!);
  const sub: Record<string, MethodPredictions> = {};
  for (const [k, m] of Object.entries(methods)) sub[k] = { ...m, predictions: Float64Array.from(rows, (r) => m.predictions[r]!) };
  return { labels, offsets, methods: sub };
}

export interface FinalScores {
  results: Record<string, AnyResult>;
  comparisons: Comparison[];
}

/**
 * Scores every method on the test days: estimates, 95% intervals bootstrapped over athletes (overall and
 * within each subgroup), counts, and the paired comparisons in `pairs`.
 */
export function scoreMethods(test: TestSet, methods: Record<string, MethodPredictions>, pairs: readonly ComparisonPair[], b: BootstrapSettings): FinalScores {
  const overall = scoreOn(test.labels, test.offsets, methods, b);
  const byAttr = new Map<string, Map<string, number[]>>();
  for (let a = 0; a + 1 < test.offsets.length; a++) {
    if (test.offsets[a + 1] === test.offsets[a]) continue;
    for (const [attr, value] of Object.entries(test.groups[test.offsets[a]!] ?? {})) {
      const byValue = byAttr.get(attr) ?? new Map<string, number[]>();
      byAttr.set(attr, byValue);
      byValue.set(value, [...(byValue.get(value) ?? []), a]);
    }
  }
  const subgroups: Record<string, Subgroups<AnyMetrics>> = Object.fromEntries(Object.keys(methods).map((k) => [k, {}]));
  for (const attr of [...byAttr.keys()].sort()) {
    const byValue = byAttr.get(attr)!;
    for (const value of [...byValue.keys()].sort()) {
      const s = subset(test, methods, byValue.get(value)!);
      const scored = scoreOn(s.labels, s.offsets, s.methods, { ...b, resamples: Math.min(b.resamples, SUBGROUP_RESAMPLES) });
      for (const k of Object.keys(methods)) (subgroups[k]![attr] ??= {})[value] = scored.metrics[k]!;
    }
  }
  const results: Record<string, AnyResult> = {};
  for (const [k, m] of Object.entries(methods)) {
    const base = { ...overall.metrics[k]!, subgroups: subgroups[k]! } as AnyResult;
    results[k] = m.kind === 'binary' ? ({ ...base, calibration: calibration(m.predictions, test.labels) } as BinaryResult) : base;
  }
  return { results, comparisons: compare(pairs, overall.draws) };
}

/** The compact per-round view of a model's test-set performance (a training trace: no intervals). */
export function roundMetrics(test: TestSet, forecast: { predictions: ArrayLike<number>; mean: ArrayLike<number> | null }): Record<string, number | null> {
  const stats = methodStatistics(modelMethod(test.task === 'injury' ? 'binary' : 'regression', forecast), test.labels, test.offsets);
  const ones = new Float64Array(test.labels.length).fill(1);
  const athletes = new Float64Array(test.offsets.length - 1).fill(1);
  const keys = test.task === 'injury' ? ['auc', 'prAuc', 'brier', 'logLoss'] : ['mae', 'rmse'];
  return Object.fromEntries(keys.map((k) => [k, num(stats[k]!(ones, athletes))]));
}
