import { FEATURE_COUNT } from '../features/feature-catalog.ts';
import { meanFeatureVector } from './integratedGradients.ts';
import { Z_FEATURES } from './factorGroups.ts';

/**
 * The athlete's own typical day, the baseline of every explanation: the mean of their day vectors over `rows`, with
 * every answer's z-score at 0 (a typical day is one where each answer equals the athlete's usual).
 */
export function typicalDay(x: ArrayLike<number>, rows: readonly number[]): Float64Array {
  const mean = meanFeatureVector(x, FEATURE_COUNT, rows);
  for (const j of Z_FEATURES) mean[j] = 0;
  return mean;
}
