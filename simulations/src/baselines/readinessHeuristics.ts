import type { TaskExamples } from '@huddle/shared/data';
import type { AthleteFeatures } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';

/** Mean readiness label over the athlete's own training days; null without any. */
export function athleteMean(own: TaskExamples): number | null {
  if (own.n === 0) return null;
  let s = 0;
  for (let i = 0; i < own.n; i++) s += own.y[i]!;
  return s / own.n;
}

/** "Tomorrow = today": the athlete's latest reported readiness on or before each test day, else `fallback`. */
export function persistence(test: TaskExamples, features: AthleteFeatures, rows: readonly DailyLogRow[], fallback: number): Float64Array {
  const readinessOn = new Map(rows.map((r) => [r.date, r.readiness]));
  const latest: (number | null)[] = [];
  let last: number | null = null;
  for (const date of features.dates) {
    last = readinessOn.get(date) ?? last;
    latest.push(last);
  }
  return Float64Array.from(test.days, (d) => latest[d] ?? fallback);
}

/** Each athlete's own mean, else the mean over every training label. */
export function athleteMeanPredictions(test: TaskExamples, own: TaskExamples, globalMean: number): Float64Array {
  return new Float64Array(test.n).fill(athleteMean(own) ?? globalMean);
}
