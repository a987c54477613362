import type { AthleteSeries } from './athlete-series.ts';
import type { FeatureColumns } from './feature-columns.ts';
import type { FeatureName } from './feature-catalog.ts';
import { WELLNESS_ITEMS, type WellnessField } from './wellness-items.ts';

/** History features per item (windows end today, today included): readiness gets lags 1-2, 3-/7-/28-day means and its expanding mean; the other items 3- and 7-day means. */
export const HISTORY_FEATURES: Readonly<Partial<Record<WellnessField, { lags: readonly FeatureName[]; means: readonly (readonly [number, FeatureName])[]; expanding: FeatureName | null }>>> = {
  readiness: {
    lags: ['readiness_lag1', 'readiness_lag2'],
    means: [[3, 'readiness_mean_3d'], [7, 'readiness_mean_7d'], [28, 'readiness_mean_28d']],
    expanding: 'readiness_mean_all',
  },
  fatigue: { lags: [], means: [[3, 'fatigue_mean_3d'], [7, 'fatigue_mean_7d']], expanding: null },
  mood: { lags: [], means: [[3, 'mood_mean_3d'], [7, 'mood_mean_7d']], expanding: null },
  sleepQuality: { lags: [], means: [[3, 'sleep_quality_mean_3d'], [7, 'sleep_quality_mean_7d']], expanding: null },
  soreness: { lags: [], means: [[3, 'soreness_mean_3d'], [7, 'soreness_mean_7d']], expanding: null },
  stress: { lags: [], means: [[3, 'stress_mean_3d'], [7, 'stress_mean_7d']], expanding: null },
  sleepHours: { lags: [], means: [[3, 'sleep_hours_mean_3d'], [7, 'sleep_hours_mean_7d']], expanding: null },
};

/**
 * Multi-day wellness history on each item's fixed scale ((answer - center) / spread, like the `_value` features).
 * Missing answers are skipped; a lag whose day has no answer, or a window without any answer, reads as the athlete's
 * expanding mean up to that day (all their answers so far), and the scale's center before their first answer. The
 * same rule holds for every item and dataset: nothing here depends on how often a dataset's athletes answer.
 */
export function historyFeatureColumns(series: AthleteSeries): FeatureColumns {
  const n = series.days;
  const columns: FeatureColumns = {};
  WELLNESS_ITEMS.forEach((item, i) => {
    const spec = HISTORY_FEATURES[item.field];
    if (!spec) return;
    const values = series.wellness[i] ?? [];
    const expanding = expandingMeans(values);
    const fallback = (t: number): number => (t >= 0 ? (expanding[t] ?? null) : null) ?? item.center;
    const scaledOf = (v: number): number => (v - item.center) / item.spread;
    spec.lags.forEach((name, k) => {
      const lag = k + 1;
      columns[name] = Float64Array.from({ length: n }, (_, t) => scaledOf(valueAt(values, t - lag) ?? fallback(t - lag)));
    });
    for (const [days, name] of spec.means) {
      columns[name] = Float64Array.from({ length: n }, (_, t) => scaledOf(windowMean(values, t, days) ?? fallback(t)));
    }
    if (spec.expanding) columns[spec.expanding] = Float64Array.from({ length: n }, (_, t) => scaledOf(fallback(t)));
  });
  return columns;
}

function valueAt(values: readonly (number | null)[], t: number): number | null {
  return t >= 0 ? (values[t] ?? null) : null;
}

/** Mean of the answers on days t-days+1..t; null when none was given. */
function windowMean(values: readonly (number | null)[], t: number, days: number): number | null {
  let total = 0;
  let count = 0;
  for (let i = Math.max(0, t - days + 1); i <= t; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    total += v;
    count++;
  }
  return count > 0 ? total / count : null;
}

/** Mean of all answers on days 0..t, for every t; null until the first answer. */
function expandingMeans(values: readonly (number | null)[]): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  let total = 0;
  let count = 0;
  for (let t = 0; t < values.length; t++) {
    const v = values[t];
    if (v !== null && v !== undefined) {
      total += v;
      count++;
    }
    out[t] = count > 0 ? total / count : null;
  }
  return out;
}
