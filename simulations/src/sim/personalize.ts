import type { LocalTrainConfig, LocalTrainer, ModelSpec } from '@huddle/shared/model';
import type { CohortAthlete } from './cohort.ts';
import { predict } from './predict.ts';

/** Each evaluated athlete fine-tunes `global` on its own training days, then predicts its test days. */
export async function personalizedPredictions(
  spec: ModelSpec,
  global: Float32Array,
  athletes: readonly CohortAthlete[],
  config: (a: CohortAthlete) => LocalTrainConfig,
  trainer: LocalTrainer,
): Promise<Float32Array[]> {
  return Promise.all(
    athletes.map(async (a) => {
      const weights = a.own.n === 0 ? global : (await trainer.train(spec, global, a.own, config(a))).weights;
      return predict(spec, weights, a.test.x, a.test.n);
    }),
  );
}
