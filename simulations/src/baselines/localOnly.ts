import type { TaskExamples } from '@huddle/shared/data';
import type { LocalTrainConfig, LocalTrainer, ModelSpec } from '@huddle/shared/model';

/** The lower reference: each athlete trains the initial model on its own days only (none: the initial model). */
export async function trainLocalOnly(
  spec: ModelSpec,
  init: Float32Array,
  own: readonly TaskExamples[],
  config: (index: number) => LocalTrainConfig,
  trainer: LocalTrainer,
): Promise<Float32Array[]> {
  return Promise.all(own.map(async (data, i) => (data.n === 0 ? init.slice() : (await trainer.train(spec, init, data, config(i))).weights)));
}
