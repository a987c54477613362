import type { TaskId } from '../spec.ts';
import type { ModelSettings } from '../settings.ts';
import type { TrainingData } from '../trainTf.ts';
import { additiveScores, type AdditiveHead } from './additiveModel.ts';
import { fitAdditive } from './fitAdditive.ts';
import { targetReference } from '../target.ts';
import { additiveLayout } from './layout.ts';
import { constantShift } from '../constantShift.ts';

/**
 * How an athlete's own days personalize the additive model.
 * - Readiness (squared, Huber or absolute loss): the team model's shape functions are kept and only the intercept moves,
 *   by the constant shift that minimizes the task's loss on the athlete's own days (the median residual for the absolute
 *   loss, the mean for squared, the Huber location for Huber), shrunk toward 0 by n / (n + priorDays). One number per
 *   athlete: it cannot overfit a few hundred days the way refitting a thousand bins does, and explanations are unchanged
 *   (an intercept has no attribution). The mean forecast, when the model learns one, moves by the shrunk mean residual.
 * - Injury (logistic loss): `steps` boosting rounds on the own days with L2 `l2`, as before (not re-tuned).
 */
export const PERSONAL_ADDITIVE = { priorDays: 30, steps: 3, l2: 0.2 } as const;

export function personalizeAdditive(task: TaskId, settings: ModelSettings, global: Float32Array, data: TrainingData): Float32Array {
  if (data.n === 0) return global.slice();
  if (settings.loss === 'logistic') return fitAdditive(task, { ...settings, l2: PERSONAL_ADDITIVE.l2 }, global, data, PERSONAL_ADDITIVE.steps);
  const { features: F, size } = additiveLayout();
  const out = global.slice();
  const shiftOf = (head: AdditiveHead, loss: Pick<ModelSettings, 'loss' | 'huberDelta'>) => {
    const scores = additiveScores(global, data.x, data.n, head);
    const residuals = Float64Array.from(scores, (s, r) => data.y[r]! - targetReference(task, settings, data.x, r * F) - s);
    return constantShift(loss, residuals) * (data.n / (data.n + PERSONAL_ADDITIVE.priorDays));
  };
  const shift = shiftOf('model', settings);
  out[0]! += shift;
  out[size]! += shift;
  if (global.length === 4 * size) {
    // The mean forecast (the model plus its correction) moves by the athlete's own shrunk mean residual in all.
    const meanShift = shiftOf('mean', { loss: 'squared', huberDelta: settings.huberDelta }) - shift;
    out[2 * size]! += meanShift;
    out[3 * size]! += meanShift;
  }
  return out;
}
