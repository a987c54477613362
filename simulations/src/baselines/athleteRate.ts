import type { TaskExamples } from '@huddle/shared/data';

/**
 * Pseudo-days at the pooled rate added to every athlete's own days, so that an athlete without an injury
 * on its training days gets a small risk rather than 0 (whose log loss on a first injury is unbounded).
 * One injury label window (7 days): a week of data weighs more than the prior.
 */
export const ATHLETE_RATE_PRIOR_DAYS = 7;

/**
 * The athlete's own injury rate: the share of its training days whose 7-day window held an injury,
 * shrunk toward `pooledRate` by ATHLETE_RATE_PRIOR_DAYS, the same for every test day.
 */
export function athleteRatePredictions(test: TaskExamples, own: TaskExamples, pooledRate: number): Float64Array {
  let s = 0;
  for (let i = 0; i < own.n; i++) s += own.y[i]!;
  return new Float64Array(test.n).fill((s + ATHLETE_RATE_PRIOR_DAYS * pooledRate) / (own.n + ATHLETE_RATE_PRIOR_DAYS));
}
