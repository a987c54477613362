import { constantShift } from '../constantShift.ts';
import { gradHess } from '../additive/losses.ts';
import { additiveLayout } from '../additive/layout.ts';
import { PERSONAL_ADDITIVE } from '../additive/personalizeAdditive.ts';
import type { ModelSettings } from '../settings.ts';
import type { TaskId } from '../spec.ts';
import { targetReference } from '../target.ts';
import type { TrainingData } from '../trainTf.ts';
import { BASE } from './treeLayout.ts';
import { treeScores } from './treeModel.ts';

/**
 * How an athlete's own days personalize the trees: the team's trees are kept and only the base score moves, by the
 * constant that minimizes the task's loss on the athlete's days (for the logistic loss its Newton step), shrunk
 * toward 0 by n / (n + priorDays) as the additive model's intercept is. Explanations are unchanged.
 */
export function personalizeTrees(task: TaskId, settings: ModelSettings, global: Float32Array, data: TrainingData): Float32Array {
  const out = global.slice();
  if (data.n === 0) return out;
  const F = additiveLayout().features;
  const scores = treeScores(settings, global, data.x, data.n);
  let shift: number;
  if (settings.loss === 'logistic') {
    let g = 0;
    let h = 0;
    for (let r = 0; r < data.n; r++) {
      const [gr, hr] = gradHess('logistic', settings.huberDelta, scores[r]!, data.y[r]!);
      g += gr;
      h += hr;
    }
    shift = h > 0 ? -g / h : 0;
  } else {
    shift = constantShift(settings, Float64Array.from(scores, (s, r) => data.y[r]! - targetReference(task, settings, data.x, r * F) - s));
  }
  out[BASE] = out[BASE]! + shift * (data.n / (data.n + PERSONAL_ADDITIVE.priorDays));
  return out;
}
