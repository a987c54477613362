import { featureIndex } from '../features/feature-catalog.ts';
import { WELLNESS_ITEMS } from '../features/wellness-items.ts';
import type { TaskId } from './spec.ts';
import type { ModelSettings } from './settings.ts';

const READINESS = WELLNESS_ITEMS.find((item) => item.field === 'readiness')!;
const READINESS_VALUE = featureIndex('readiness_value');

/**
 * What a 'change' model predicts from: today's readiness, or when today is unanswered the athlete's own mean (both are
 * what the `readiness_value` feature holds, unscaled here). 0 for level targets.
 */
export function targetReference(task: TaskId, settings: Pick<ModelSettings, 'target'>, x: ArrayLike<number>, at: number): number {
  if (task !== 'readiness' || settings.target !== 'change') return 0;
  return READINESS.center + READINESS.spread * x[at + READINESS_VALUE]!;
}
