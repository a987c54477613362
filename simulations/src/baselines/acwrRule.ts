import { featureIndex, FEATURE_COUNT, RATIO_SCALE, type FeatureName } from '@huddle/shared/features';
import type { TaskExamples } from '@huddle/shared/data';

/** Gabbett's "sweet spot" upper bound: an acute:chronic workload ratio above 1.5 flags injury risk. */
export const ACWR_THRESHOLD = 1.5;

export type AcwrVariant = Extract<FeatureName, 'load_acwr_7_28' | 'load_ewma_ratio'>;

/**
 * The ratio itself, read back from the scaled feature (clamped at the feature limits, i.e. to
 * [-0.5, 2.5]), as a risk score for each example.
 */
export function acwrScores(examples: TaskExamples, variant: AcwrVariant): Float64Array {
  const col = featureIndex(variant);
  const out = new Float64Array(examples.n);
  for (let i = 0; i < examples.n; i++) out[i] = RATIO_SCALE.center + RATIO_SCALE.spread * examples.x[i * FEATURE_COUNT + col]!;
  return out;
}
