import type { AthleteSeries } from './athlete-series.ts';
import type { FeatureColumns } from './feature-columns.ts';
import { fosterMonotony, fosterStrain, loadRatio, rollingAcwr, trailingWindow } from './load-metrics.ts';
import { BASELINE_DAYS, baselineOf } from './personal-baseline.ts';
import { LOAD_SCALE, MONOTONY_SCALE, RATIO_SCALE, STRAIN_SCALE, scaled } from './scales.ts';

/**
 * Load features. Aggregates (EWMAs, rolling ACWR, monotony, strain) count every unknown day as 0, days before the log
 * included; `load_unknown_28d` tells the model how much of the last 4 weeks that covers.
 * Today's load, when unknown, is imputed with the mean known load of the previous 28 days (the scale's center without a
 * baseline) and flagged by `load_missing_today`.
 */
export function loadFeatureColumns(series: AthleteSeries): FeatureColumns {
  const n = series.days;
  const columns = {
    load_today: new Float64Array(n),
    load_acute_ewma: new Float64Array(n),
    load_chronic_ewma: new Float64Array(n),
    load_ewma_ratio: new Float64Array(n),
    load_acwr_7_28: new Float64Array(n),
    load_monotony: new Float64Array(n),
    load_strain: new Float64Array(n),
    load_missing_today: new Float64Array(n),
    load_unknown_28d: new Float64Array(n),
  } satisfies FeatureColumns;
  for (let t = 0; t < n; t++) {
    const today = series.knownLoad[t] ?? null;
    const acute = series.acuteLoad[t] ?? 0;
    const chronic = series.chronicLoad[t] ?? 0;
    const week = trailingWindow(series.load, t, 7);
    const imputed = today ?? baselineOf(series.knownLoad, t - BASELINE_DAYS, t)?.mean ?? LOAD_SCALE.center;

    columns.load_today[t] = scaled(imputed, LOAD_SCALE);
    columns.load_acute_ewma[t] = scaled(acute, LOAD_SCALE);
    columns.load_chronic_ewma[t] = scaled(chronic, LOAD_SCALE);
    columns.load_ewma_ratio[t] = scaled(loadRatio(acute, chronic), RATIO_SCALE);
    columns.load_acwr_7_28[t] = scaled(rollingAcwr(series.load, t), RATIO_SCALE);
    columns.load_monotony[t] = scaled(fosterMonotony(week), MONOTONY_SCALE);
    columns.load_strain[t] = scaled(fosterStrain(week), STRAIN_SCALE);
    columns.load_missing_today[t] = today === null ? 1 : 0;
    columns.load_unknown_28d[t] = unknownDays(series.knownLoad, t, 28) / 28;
  }
  return columns;
}

/** Days among the `length` days ending at t whose load is unknown; days before the log count as unknown. */
function unknownDays(knownLoad: readonly (number | null)[], t: number, length: number): number {
  let unknown = 0;
  for (let i = t - length + 1; i <= t; i++) if (i < 0 || knownLoad[i] === null) unknown++;
  return unknown;
}
