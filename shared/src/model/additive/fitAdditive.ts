import type { TaskId } from '../spec.ts';
import type { ModelSettings } from '../settings.ts';
import type { TrainingData } from '../trainTf.ts';
import { additiveContribution, applyAdditiveAggregate } from './additiveModel.ts';

/**
 * `steps` boosting rounds on one data set held in one place (pooled reference, one athlete's own days): each step is
 * exactly the round the federation would run if these days were all its clients' days.
 */
export function fitAdditive(task: TaskId, settings: ModelSettings, init: Float32Array, data: TrainingData, steps: number): Float32Array {
  let params: Float32Array = init.slice();
  if (data.n === 0) return params;
  for (let s = 0; s < steps; s++) params = applyAdditiveAggregate(task, settings, params, additiveContribution(task, settings, params, data).vector);
  return params;
}
