import { PERSONAL_ADDITIVE, type LocalTrainConfig } from '@huddle/shared/model';
import type { CohortAthlete } from './cohort.ts';
import type { SimModel } from './simModel.ts';

/** Each evaluated athlete fine-tunes `global` on its own training days, then predicts its test days. */
export async function personalizedPredictions(
  model: SimModel,
  global: Float32Array,
  athletes: readonly CohortAthlete[],
  config: (a: CohortAthlete) => LocalTrainConfig,
): Promise<Float32Array[]> {
  return Promise.all(
    athletes.map(async (a) => {
      const weights = a.own.n === 0 ? global : await model.train(global, a.own, config(a), PERSONAL_ADDITIVE.steps, PERSONAL_ADDITIVE.settings);
      return model.predict(weights, a.test.x, a.test.n);
    }),
  );
}
