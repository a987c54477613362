import type { Comparison } from './comparisons.ts';
import type { AnyResult } from './evaluation.ts';
import type { MethodPredictions } from './metrics.ts';

/** Predictions whose spread is below this share of their scale are constant for every purpose. */
const CONSTANT_SPREAD = 1e-6;
/** An AUC this close to 0.5 ranks no better than a coin. */
const CHANCE_AUC = 0.005;
/** A Brier score within this share of the base rate's p(1 - p) predicts no better than the base rate. */
const BASE_RATE_BRIER = 0.002;

const f4 = (v: number): string => v.toFixed(4);

/**
 * Messages for a model that collapsed on the test days: constant predictions, an AUC at chance, or a
 * Brier score equal to that of predicting the base rate. Empty when none holds.
 */
export function collapseWarnings(method: string, m: MethodPredictions, r: AnyResult): string[] {
  const p = m.predictions;
  if (p.length === 0) return [];
  let lo = Infinity;
  let hi = -Infinity;
  let finite = true;
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i])) finite = false;
    lo = Math.min(lo, p[i]!);
    hi = Math.max(hi, p[i]!);
  }
  if (!finite) return [`${method}: the model diverged (non-finite predictions); its metrics are undefined`];
  const out: string[] = [];
  if (hi - lo <= CONSTANT_SPREAD * Math.max(1, Math.abs(hi))) out.push(`${method}: the model collapsed to a constant prediction (${f4(lo)} on every test day)`);
  if (r.kind !== 'regression' && r.auc !== null && Math.abs(r.auc - 0.5) < CHANCE_AUC && hi - lo > CONSTANT_SPREAD) {
    out.push(`${method}: AUC ${f4(r.auc)} is chance level (ranks test days no better than a coin)`);
  }
  if (r.kind === 'binary' && r.brier !== null && r.n > 0) {
    const rate = r.positives / r.n;
    const baseBrier = rate * (1 - rate);
    if (baseBrier > 0 && Math.abs(r.brier - baseBrier) <= BASE_RATE_BRIER * baseBrier) {
      out.push(`${method}: Brier ${f4(r.brier)} equals the base rate's ${f4(baseBrier)} (predicts no better than the test days' injury rate)`);
    }
  }
  return out;
}

/**
 * Under DP noise: a warning for each metric on which the federated model is worse than the trivial
 * reference (athlete mean for readiness, the athlete's injury rate for injury) beyond the paired interval.
 */
export function dpUtilityWarnings(noiseMultiplier: number, comparisons: readonly Comparison[]): string[] {
  if (noiseMultiplier <= 0) return [];
  return comparisons
    .filter((c) => c.method === 'federated' && (c.reference === 'athleteMean' || c.reference === 'athleteRate') && c.verdict === 'worse')
    .map(
      (c) =>
        `DP noise (z = ${noiseMultiplier}) destroyed utility: federated ${c.metric} is worse than the ${c.reference === 'athleteMean' ? "athlete's mean" : "athlete's injury rate"} by ${Math.abs(c.difference!).toFixed(4)} (paired 95% interval ${c.lo!.toFixed(4)} to ${c.hi!.toFixed(4)})`,
    );
}
