import type { TaskId } from '../model/spec.ts';
import { FEATURE_NAMES, type FeatureName } from './feature-catalog.ts';

/**
 * Directions known from physiology, enforced by the additive model (each shape function projected to be monotone):
 * +1 = the prediction may only rise as the feature rises, -1 = only fall. Every 1-5 item has 5 = best (fresh, not
 * sore, relaxed, slept very well), so "worse sleep, more soreness, fatigue or stress than usual" is a LOWER value or z,
 * and readiness must not rise with it. Injury risk must not fall as the acute:chronic load ratio rises. Nothing else is
 * constrained: directions that are not established (mood, sleep hours, load on readiness) are learned.
 */
const INCREASING_READINESS: readonly FeatureName[] = [
  'fatigue_value', 'fatigue_z', 'fatigue_mean_3d', 'fatigue_mean_7d',
  'sleep_quality_value', 'sleep_quality_z', 'sleep_quality_mean_3d', 'sleep_quality_mean_7d',
  'soreness_value', 'soreness_z', 'soreness_mean_3d', 'soreness_mean_7d',
  'stress_value', 'stress_z', 'stress_mean_3d', 'stress_mean_7d',
];
const INCREASING_INJURY: readonly FeatureName[] = ['load_acwr_7_28', 'load_ewma_ratio'];

/** Per feature (FEATURE_NAMES order): +1, -1 or 0 (unconstrained) for the task. */
export function monotoneDirections(task: TaskId): Int8Array {
  const increasing = task === 'readiness' ? INCREASING_READINESS : INCREASING_INJURY;
  return Int8Array.from(FEATURE_NAMES, (name) => (increasing.includes(name) ? 1 : 0));
}
