import {
  absoluteErrorTerms,
  aucPairs,
  clusterMean,
  clusterRocAuc,
  clusterSums,
  brierTerms,
  calibrationTable,
  logLossTerms,
  rankingOf,
  squaredErrorTerms,
  weightedAveragePrecision,
  weightedCalibrationError,
  type WeightedStatistic,
} from '@huddle/shared/metrics';

/** JSON has no NaN: an undefined metric (one class absent, no rows) is null. */
export type Num = number | null;
export const num = (v: number): Num => (Number.isFinite(v) ? v : null);

/** A 95% interval bootstrapped over athletes; null bounds when the metric is undefined on most resamples. */
export interface Ci {
  lo: Num;
  hi: Num;
}

export interface CalibrationRow {
  bin: number;
  count: number;
  meanPredicted: Num;
  observedRate: Num;
}

/** How many test days and athletes a metric rests on. */
export interface Counts {
  /** Test days. */
  n: number;
  athletes: number;
}

export interface BinaryCounts extends Counts {
  /** Positive test days. */
  positives: number;
  /** Athletes with at least one positive test day: the effective sample size of a ranking metric. */
  positiveAthletes: number;
}

export const BINARY_METRICS = ['auc', 'prAuc', 'brier', 'logLoss', 'ece'] as const;
export const REGRESSION_METRICS = ['mae', 'rmse'] as const;
export const RULE_METRICS = ['auc', 'prAuc', 'sensitivity', 'specificity'] as const;

type Values<K extends string> = { [k in K]: Num } & { ci: { [k in K]: Ci } };

export type BinaryMetrics = { kind: 'binary' } & BinaryCounts & Values<(typeof BINARY_METRICS)[number]>;
export type RegressionMetrics = { kind: 'regression' } & Counts & Values<(typeof REGRESSION_METRICS)[number]>;
/** A threshold rule on a score that is not a probability: ranking metrics plus the rule's confusion rates. */
export type RuleMetrics = { kind: 'rule'; threshold: number; flagged: number } & BinaryCounts & Values<(typeof RULE_METRICS)[number]>;

export type AnyMetrics = BinaryMetrics | RegressionMetrics | RuleMetrics;
export type Subgroups<M> = Record<string, Record<string, M>>;
export type WithSubgroups<M> = M & { subgroups: Subgroups<M> };

/** What a method predicted on the test days, and how to score it. */
export type MethodPredictions =
  | { kind: 'binary'; predictions: ArrayLike<number> }
  /** `mean`: the model's mean forecast, when it learns one beside its median; RMSE scores it, MAE `predictions`. */
  | { kind: 'regression'; predictions: ArrayLike<number>; mean?: ArrayLike<number> }
  | { kind: 'rule'; predictions: ArrayLike<number>; threshold: number };

/** A trained model's forecasts as a method to score: binary for injury; for readiness with its mean forecast when it has one. */
export function modelMethod(kind: 'binary' | 'regression', forecast: { predictions: ArrayLike<number>; mean: ArrayLike<number> | null }): MethodPredictions {
  if (kind === 'binary') return { kind, predictions: forecast.predictions };
  return forecast.mean ? { kind, predictions: forecast.predictions, mean: forecast.mean } : { kind, predictions: forecast.predictions };
}

export function metricNames(kind: MethodPredictions['kind']): readonly string[] {
  return kind === 'binary' ? BINARY_METRICS : kind === 'regression' ? REGRESSION_METRICS : RULE_METRICS;
}

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/**
 * Each metric of a method as a statistic of a resample (all weights 1: the metric itself), for the
 * bootstrap over athletes (rows offsets[a]..offsets[a+1]-1 are athlete a's). Means and AUC are computed
 * from per-athlete sums, AP and calibration error from the rows. A diverged model (non-finite outputs)
 * is NaN everywhere.
 */
export function methodStatistics(m: MethodPredictions, labels: ArrayLike<number>, offsets: readonly number[]): Record<string, WeightedStatistic> {
  const p = m.predictions;
  const names = metricNames(m.kind);
  if (!allFinite(p) || (m.kind === 'regression' && m.mean && !allFinite(m.mean))) return Object.fromEntries(names.map((k) => [k, () => NaN]));
  const sizes = Float64Array.from({ length: offsets.length - 1 }, (_, a) => offsets[a + 1]! - offsets[a]!);
  const mean = (terms: ArrayLike<number>): WeightedStatistic => {
    const sums = clusterSums(terms, offsets);
    return (_w, counts) => clusterMean(sums, sizes, counts);
  };
  if (m.kind === 'regression') {
    const mae = mean(absoluteErrorTerms(p, labels));
    const mse = mean(squaredErrorTerms(m.mean ?? p, labels));
    return { mae, rmse: (w, c) => Math.sqrt(mse(w, c)) };
  }
  const ranking = rankingOf(p);
  const pairs = aucPairs(ranking, labels, offsets);
  const ranks: Record<string, WeightedStatistic> = {
    auc: (_w, counts) => clusterRocAuc(pairs, counts),
    prAuc: (w) => weightedAveragePrecision(ranking, labels, w),
  };
  if (m.kind === 'rule') {
    // sensitivity: flagged share of positive days; specificity: unflagged share of negative days.
    const flaggedPositive = Float64Array.from({ length: p.length }, (_, i) => (labels[i] === 1 && p[i]! > m.threshold ? 1 : 0));
    const unflaggedNegative = Float64Array.from({ length: p.length }, (_, i) => (labels[i] !== 1 && !(p[i]! > m.threshold) ? 1 : 0));
    const pos = clusterSums(Float64Array.from({ length: p.length }, (_, i) => (labels[i] === 1 ? 1 : 0)), offsets);
    const neg = Float64Array.from(sizes, (v, a) => v - pos[a]!);
    const tp = clusterSums(flaggedPositive, offsets);
    const tn = clusterSums(unflaggedNegative, offsets);
    return { ...ranks, sensitivity: (_w, c) => clusterMean(tp, pos, c), specificity: (_w, c) => clusterMean(tn, neg, c) };
  }
  return {
    ...ranks,
    brier: mean(brierTerms(p, labels)),
    logLoss: mean(logLossTerms(p, labels)),
    ece: (w) => weightedCalibrationError(ranking, p, labels, w),
  };
}

export function countsOf(labels: ArrayLike<number>, offsets: readonly number[]): BinaryCounts {
  let positives = 0;
  let positiveAthletes = 0;
  for (let a = 0; a + 1 < offsets.length; a++) {
    let own = 0;
    for (let i = offsets[a]!; i < offsets[a + 1]!; i++) own += labels[i]!;
    positives += own;
    if (own > 0) positiveAthletes++;
  }
  return { n: labels.length, athletes: offsets.length - 1, positives, positiveAthletes };
}

/** Assembles a method's metrics from its estimates and intervals (`values[k]`, `intervals[k]`). */
export function assembleMetrics(m: MethodPredictions, counts: BinaryCounts, values: Record<string, number>, intervals: Record<string, Ci>): AnyMetrics {
  const names = metricNames(m.kind);
  const v = Object.fromEntries(names.map((k) => [k, num(values[k]!)]));
  const ci = Object.fromEntries(names.map((k) => [k, intervals[k]!]));
  if (m.kind === 'regression') return { kind: 'regression', n: counts.n, athletes: counts.athletes, ...v, ci } as RegressionMetrics;
  const base = { n: counts.n, athletes: counts.athletes, positives: counts.positives, positiveAthletes: counts.positiveAthletes };
  if (m.kind === 'binary') return { kind: 'binary', ...base, ...v, ci } as BinaryMetrics;
  let flagged = 0;
  for (let i = 0; i < m.predictions.length; i++) if (m.predictions[i]! > m.threshold) flagged++;
  return { kind: 'rule', ...base, threshold: m.threshold, flagged, ...v, ci } as RuleMetrics;
}

export function calibration(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationRow[] {
  if (labels.length === 0 || !allFinite(scores)) return [];
  return calibrationTable(scores, labels, { bins }).map((b) => ({ bin: b.bin, count: b.count, meanPredicted: num(b.meanPredicted), observedRate: num(b.observedRate) }));
}
