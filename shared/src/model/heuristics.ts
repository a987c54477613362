import type { TaskExamples } from '../data/examples.ts';
import type { AthleteFeatures } from '../features/types.ts';

/**
 * The athlete's own heuristics, the references a model must beat before the app shows its forecast. They use only
 * the athlete's own days, so a device computes them without anyone else's data.
 */

/** "Tomorrow = today": the latest readiness reported on or before each example's day, else `fallback`. */
export function persistencePredictions(features: Pick<AthleteFeatures, 'dates' | 'readinessLabel'>, examples: Pick<TaskExamples, 'days' | 'n'>, fallback: number): Float64Array {
  // readinessLabel[t] is the readiness reported on day t + 1, so day t's own readiness is readinessLabel[t - 1].
  const latest: (number | null)[] = [];
  let last: number | null = null;
  for (let t = 0; t < features.dates.length; t++) {
    last = (t > 0 ? features.readinessLabel[t - 1] : null) ?? last;
    latest.push(last);
  }
  return Float64Array.from(examples.days.slice(0, examples.n), (d) => latest[d] ?? fallback);
}

/**
 * The athlete's own injury rate on its training days with a Jeffreys prior, (injured + 1/2) / (days + 1): an athlete
 * without an injury gets a small risk rather than 0, and no other athlete's rate is needed.
 */
export function ownInjuryRate(train: Pick<TaskExamples, 'y' | 'n'>): number {
  let s = 0;
  for (let i = 0; i < train.n; i++) s += train.y[i]!;
  return (s + 0.5) / (train.n + 1);
}

/** Mean label over the athlete's training days (readiness fallback when nothing was reported before a day). */
export function ownMean(train: Pick<TaskExamples, 'y' | 'n'>, fallback: number): number {
  if (train.n === 0) return fallback;
  let s = 0;
  for (let i = 0; i < train.n; i++) s += train.y[i]!;
  return s / train.n;
}
