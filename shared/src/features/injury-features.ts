import type { AthleteSeries } from './athlete-series.ts';
import type { FeatureColumns } from './feature-columns.ts';
import { scaledDaysSinceInjury } from './injury-history.ts';

/** Days since the last logged injury (scaled to [0, 1]); "never injured in the log" reads as long ago plus its own flag. */
export function injuryFeatureColumns(series: AthleteSeries): FeatureColumns {
  const days = series.daysSinceInjury;
  return {
    days_since_injury: Float64Array.from(days, (d) => scaledDaysSinceInjury(d)),
    no_injury_logged: Float64Array.from(days, (d) => (d === null ? 1 : 0)),
  };
}
