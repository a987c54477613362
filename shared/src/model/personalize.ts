import { personalizeAdditive } from './additive/personalizeAdditive.ts';
import type { ModelSettings } from './settings.ts';
import type { TaskId } from './spec.ts';
import type { TrainingData } from './trainTf.ts';
import { personalizeTrees } from './trees/personalizeTrees.ts';

/**
 * The team model personalized on one athlete's own days by its family's closed-form rule, or null for the network
 * (which fine-tunes by local SGD, the caller's trainer).
 */
export function personalizeInClosedForm(task: TaskId, settings: ModelSettings, global: Float32Array, data: TrainingData): Float32Array | null {
  switch (settings.kind) {
    case 'network':
      return null;
    case 'additive':
      return personalizeAdditive(task, settings, global, data);
    case 'trees':
      return personalizeTrees(task, settings, global, data);
  }
}
