import type { AthleteSeries } from './athlete-series.ts';
import type { FeatureColumns } from './feature-columns.ts';
import { BASELINE_DAYS, baselineOf, baselineZ } from './personal-baseline.ts';
import { WELLNESS_ITEMS } from './wellness-items.ts';

/**
 * Wellness features, per item: the answer on its fixed scale and its z-score against the previous 28 days.
 * A missing answer is imputed with the athlete's baseline mean (without a 28-day baseline, the mean of all their earlier
 * answers; before any answer, the scale's center) and has z = 0;
 * `wellness_missing` is the share of the items not answered that day.
 */
export function wellnessFeatureColumns(series: AthleteSeries): FeatureColumns {
  const n = series.days;
  const columns: FeatureColumns = {};
  const missing = new Float64Array(n);
  WELLNESS_ITEMS.forEach((item, i) => {
    const values = series.wellness[i] ?? [];
    const value = new Float64Array(n);
    const z = new Float64Array(n);
    let earlierTotal = 0;
    let earlierCount = 0;
    for (let t = 0; t < n; t++) {
      const today = values[t] ?? null;
      const baseline = baselineOf(values, t - BASELINE_DAYS, t);
      const earlier = earlierCount > 0 ? earlierTotal / earlierCount : null;
      if (today === null) missing[t]! += 1;
      else {
        earlierTotal += today;
        earlierCount++;
      }
      value[t] = ((today ?? baseline?.mean ?? earlier ?? item.center) - item.center) / item.spread;
      z[t] = today === null ? 0 : baselineZ(today, baseline, item.sdFloor);
    }
    columns[item.valueFeature] = value;
    columns[item.zFeature] = z;
  });
  columns.wellness_missing = missing.map((count) => count / WELLNESS_ITEMS.length);
  return columns;
}
