import { FEATURE_COUNT, featureIndex } from './feature-catalog.ts';
import type { AthleteFeatures } from './types.ts';

/** The value of feature `name` on day t. */
export function featureValue(features: AthleteFeatures, t: number, name: string): number {
  if (!Number.isInteger(t) || t < 0 || t >= features.dates.length) throw new RangeError('featureValue: day out of range');
  return features.x[t * FEATURE_COUNT + featureIndex(name)] ?? Number.NaN;
}

/** Day t's feature vector (a view into `features.x`, not a copy). */
export function featureVector(features: AthleteFeatures, t: number): Float32Array {
  if (!Number.isInteger(t) || t < 0 || t >= features.dates.length) throw new RangeError('featureVector: day out of range');
  return features.x.subarray(t * FEATURE_COUNT, (t + 1) * FEATURE_COUNT);
}
