import { pairedDifference, percentileInterval } from '@huddle/shared/metrics';
import { num, type Num } from './metrics.ts';

/** Metrics where a higher value is better; every other metric (losses, errors) is better lower. */
const HIGHER_IS_BETTER = new Set(['auc', 'prAuc', 'sensitivity', 'specificity']);

export function higherIsBetter(metric: string): boolean {
  return HIGHER_IS_BETTER.has(metric);
}

/** One method against one reference on one metric, on the same test days. */
export interface ComparisonPair {
  method: string;
  reference: string;
  metric: string;
}

/**
 * `difference` = method - reference; `lo`, `hi`: its paired 95% interval (both methods scored on the
 * same resampled athletes). `verdict` reads the interval in the metric's direction: better or worse
 * when it excludes 0, else inconclusive; undefined when the metric is undefined too often.
 */
export interface Comparison extends ComparisonPair {
  difference: Num;
  lo: Num;
  hi: Num;
  verdict: 'better' | 'worse' | 'inconclusive' | 'undefined';
}

export interface MethodDraws {
  estimates: Record<string, Record<string, number>>;
  draws: Record<string, Record<string, Float64Array>>;
}

export function compare(pairs: readonly ComparisonPair[], d: MethodDraws): Comparison[] {
  return pairs.flatMap((p) => {
    const a = d.draws[p.method]?.[p.metric];
    const b = d.draws[p.reference]?.[p.metric];
    if (!a || !b) return [];
    const { lo, hi } = percentileInterval(pairedDifference(a, b));
    const difference = num(d.estimates[p.method]![p.metric]! - d.estimates[p.reference]![p.metric]!);
    let verdict: Comparison['verdict'] = 'inconclusive';
    if (!Number.isFinite(lo) || difference === null) verdict = 'undefined';
    else if (lo > 0 || hi < 0) verdict = (lo > 0) === higherIsBetter(p.metric) ? 'better' : 'worse';
    return [{ ...p, difference, lo: num(lo), hi: num(hi), verdict }];
  });
}

/**
 * The comparisons every run reports: the models trained by the federation against each reference on
 * every metric of the task. The pooled boosted trees are compared on MAE with their absolute-loss model
 * and on RMSE with their squared-loss model (each the loss matched to the metric).
 */
export function standardPairs(task: 'injury' | 'readiness', available: ReadonlySet<string>): ComparisonPair[] {
  const methods = ['federated', 'personalized', 'centralized'];
  const pairs: ComparisonPair[] = [];
  const add = (method: string, reference: string, metric: string): void => {
    if (method !== reference && available.has(method) && available.has(reference)) pairs.push({ method, reference, metric });
  };
  for (const method of methods) {
    if (task === 'injury') {
      for (const metric of ['auc', 'prAuc', 'brier', 'logLoss']) for (const ref of ['centralized', 'pooledGbdt', 'athleteRate']) add(method, ref, metric);
      for (const metric of ['auc', 'prAuc']) add(method, 'acwrRule', metric);
    } else {
      for (const ref of ['centralized', 'persistence', 'athleteMean']) for (const metric of ['mae', 'rmse']) add(method, ref, metric);
      add(method, 'pooledGbdt', 'mae');
      add(method, 'pooledGbdtSquared', 'rmse');
    }
  }
  return pairs;
}
