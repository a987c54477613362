import type { AthleteSeries } from './athlete-series.ts';
import type { FeatureColumns } from './feature-columns.ts';
import { lnRmssdDelta, restingHrDelta } from './physiology.ts';
import { LN_RMSSD_DELTA_SCALE, RESTING_HR_DELTA_SCALE, scaled } from './scales.ts';

/** HRV and resting-HR deltas against the previous 7 days; 0 plus a missing flag when not computable. */
export function physiologyFeatureColumns(series: AthleteSeries): FeatureColumns {
  const n = series.days;
  const columns = {
    hrv_ln_delta: new Float64Array(n),
    hrv_missing: new Float64Array(n),
    rhr_delta: new Float64Array(n),
    rhr_missing: new Float64Array(n),
  } satisfies FeatureColumns;
  for (let t = 0; t < n; t++) {
    const hrv = lnRmssdDelta(series.hrv, t);
    const restingHr = restingHrDelta(series.restingHr, t);
    columns.hrv_ln_delta[t] = hrv === null ? 0 : scaled(hrv, LN_RMSSD_DELTA_SCALE);
    columns.hrv_missing[t] = hrv === null ? 1 : 0;
    columns.rhr_delta[t] = restingHr === null ? 0 : scaled(restingHr, RESTING_HR_DELTA_SCALE);
    columns.rhr_missing[t] = restingHr === null ? 1 : 0;
  }
  return columns;
}
