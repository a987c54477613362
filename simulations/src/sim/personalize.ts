import { personalizeInClosedForm, type LocalTrainConfig } from '@huddle/shared/model';
import type { CohortAthlete } from './cohort.ts';
import type { Forecast, SimModel } from './simModel.ts';

/** Each evaluated athlete personalizes `global` on its own training days (the app's rule: closed form for the additive model and the trees, local SGD for the network), then forecasts its test days. */
export async function personalizedPredictions(
  model: SimModel,
  global: Float32Array,
  athletes: readonly CohortAthlete[],
  config: (a: CohortAthlete) => LocalTrainConfig,
): Promise<Forecast[]> {
  return Promise.all(
    athletes.map(async (a) => {
      const weights = a.own.n === 0
        ? global
        : personalizeInClosedForm(model.spec.task, model.settings, global, a.own) ?? await model.train(global, a.own, config(a), 0);
      return model.forecast(weights, a.test.x, a.test.n);
    }),
  );
}
