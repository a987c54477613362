import type { ModelSettings } from '../settings.ts';
import type { TaskId } from '../spec.ts';
import type { TrainingData } from '../trainTf.ts';
import { PROGRESS, treeProgress, treeShape } from './treeLayout.ts';
import { applyTreeAggregate, treeContribution } from './treeModel.ts';

/**
 * `rounds` rounds on one data set held in one place: each is exactly the round a federation holding these days would
 * run (a level's rounds all see the same days here, so their mean is any one of them).
 */
export function fitTrees(task: TaskId, settings: ModelSettings, init: Float32Array, data: TrainingData, rounds: number): Float32Array {
  let params: Float32Array = init.slice();
  if (data.n === 0) return params;
  const shape = treeShape(settings);
  let vector: Float32Array | null = null;
  for (let s = 0; s < rounds; s++) {
    if (!vector || Math.round(params[PROGRESS]!) % shape.levelRounds === 0) vector = treeContribution(task, settings, params, data).vector;
    params = applyTreeAggregate(task, settings, params, vector);
    if (treeProgress(shape, params).tree === shape.count) break;
  }
  return params;
}
