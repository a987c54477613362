import { averagePrecision, brierScore, calibrationTable, logLoss, mae, rmse, rocAuc } from '@huddle/shared/metrics';

/** JSON has no NaN: an undefined metric (one class absent, no rows) is null. */
export type Num = number | null;
const num = (v: number): Num => (Number.isFinite(v) ? v : null);

export interface CalibrationRow {
  bin: number;
  count: number;
  meanPredicted: Num;
  observedRate: Num;
}

export interface BinaryMetrics {
  kind: 'binary';
  n: number;
  positives: number;
  auc: Num;
  prAuc: Num;
  brier: Num;
  logLoss: Num;
}

export interface RegressionMetrics {
  kind: 'regression';
  n: number;
  mae: Num;
  rmse: Num;
}

/** A threshold rule on a score that is not a probability: ranking metrics plus the rule's confusion rates. */
export interface RuleMetrics {
  kind: 'rule';
  n: number;
  positives: number;
  auc: Num;
  prAuc: Num;
  threshold: number;
  flagged: number;
  sensitivity: Num;
  specificity: Num;
}

export type AnyMetrics = BinaryMetrics | RegressionMetrics | RuleMetrics;
export type Subgroups<M> = Record<string, Record<string, M>>;
export type WithSubgroups<M> = M & { subgroups: Subgroups<M> };

function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** A diverged model (NaN outputs) scores null everywhere rather than aborting the run. */
export function binaryMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): BinaryMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  if (!allFinite(scores)) return { kind: 'binary', n: labels.length, positives, auc: null, prAuc: null, brier: null, logLoss: null };
  return {
    kind: 'binary',
    n: labels.length,
    positives,
    auc: num(rocAuc(scores, labels)),
    prAuc: num(averagePrecision(scores, labels)),
    brier: num(brierScore(scores, labels)),
    logLoss: labels.length > 0 ? num(logLoss(scores, labels)) : null,
  };
}

export function calibration(scores: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): CalibrationRow[] {
  if (labels.length === 0 || !allFinite(scores)) return [];
  return calibrationTable(scores, labels, { bins }).map((b) => ({ bin: b.bin, count: b.count, meanPredicted: num(b.meanPredicted), observedRate: num(b.observedRate) }));
}

export function regressionMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>): RegressionMetrics {
  if (!allFinite(predicted)) return { kind: 'regression', n: actual.length, mae: null, rmse: null };
  return { kind: 'regression', n: actual.length, mae: num(mae(predicted, actual)), rmse: num(rmse(predicted, actual)) };
}

export function ruleMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): RuleMetrics {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const flagged = scores[i]! > threshold;
    positives += labels[i]!;
    if (flagged && labels[i] === 1) tp++;
    if (flagged && labels[i] === 0) fp++;
  }
  const negatives = labels.length - positives;
  return {
    kind: 'rule',
    n: labels.length,
    positives,
    auc: num(rocAuc(scores, labels)),
    prAuc: num(averagePrecision(scores, labels)),
    threshold,
    flagged: tp + fp,
    sensitivity: positives > 0 ? tp / positives : null,
    specificity: negatives > 0 ? (negatives - fp) / negatives : null,
  };
}

/** Metrics overall and per value of every attribute; `groups[i]` are row i's attributes. */
export function withSubgroups<M>(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups: readonly Record<string, string>[],
  compute: (s: number[], l: number[]) => M,
): WithSubgroups<M> {
  const buckets = new Map<string, Map<string, { s: number[]; l: number[] }>>();
  for (let i = 0; i < labels.length; i++) {
    for (const [attr, value] of Object.entries(groups[i] ?? {})) {
      let byValue = buckets.get(attr);
      if (!byValue) buckets.set(attr, (byValue = new Map()));
      let b = byValue.get(value);
      if (!b) byValue.set(value, (b = { s: [], l: [] }));
      b.s.push(scores[i]!);
      b.l.push(labels[i]!);
    }
  }
  const subgroups: Subgroups<M> = {};
  for (const attr of [...buckets.keys()].sort()) {
    const byValue = buckets.get(attr)!;
    subgroups[attr] = Object.fromEntries([...byValue.keys()].sort().map((v) => [v, compute(byValue.get(v)!.s, byValue.get(v)!.l)]));
  }
  return { ...compute(Array.from(scores), Array.from(labels)), subgroups };
}
