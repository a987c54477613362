import type { ModelSettings } from '../settings.ts';
import type { TaskId } from '../spec.ts';
import type { TrainingData } from '../trainTf.ts';
import { applyTreeAggregate, treeContribution } from './treeModel.ts';

/** `levels` rounds on one data set held in one place: each is exactly the round a federation holding these days would run. */
export function fitTrees(task: TaskId, settings: ModelSettings, init: Float32Array, data: TrainingData, levels: number): Float32Array {
  let params: Float32Array = init.slice();
  if (data.n === 0) return params;
  for (let s = 0; s < levels; s++) params = applyTreeAggregate(task, settings, params, treeContribution(task, settings, params, data).vector);
  return params;
}
