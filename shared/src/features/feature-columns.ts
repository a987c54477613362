import { FEATURE_COUNT, FEATURE_NAMES } from './feature-catalog.ts';
import type { FeatureName } from './feature-catalog.ts';
import { clampFeature } from './scales.ts';

/** Unclamped per-day values of some features, one entry per day. */
export type FeatureColumns = Partial<Record<FeatureName, Float64Array>>;

/** Interleaves the columns into the row-major matrix, clamping each value. Throws if a feature has no column. */
export function featureMatrix(columns: FeatureColumns, days: number): Float32Array {
  const stride = FEATURE_COUNT;
  const x = new Float32Array(days * stride);
  FEATURE_NAMES.forEach((name, i) => {
    const column = columns[name];
    if (column === undefined || column.length !== days) throw new Error(`featureMatrix: no column for ${name}`);
    for (let t = 0; t < days; t++) x[t * stride + i] = clampFeature(column[t]!);
  });
  return x;
}
