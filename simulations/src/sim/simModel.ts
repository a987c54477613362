import { changeLabels, fitAdditive, fitTrees, modelFamily, modelSpec, type LocalTrainConfig, type LocalTrainer, type ModelFamily, type ModelSettings, type ModelSpec, type TaskId, type TrainingData } from '@huddle/shared/model';
import { FEATURE_COUNT } from '@huddle/shared/features';

/** What a model forecasts for a set of days: the point forecast, and the mean forecast when the model learns one. */
export interface Forecast {
  predictions: ArrayLike<number>;
  mean: ArrayLike<number> | null;
}

/**
 * The task's model as the simulator's baselines use it: the same family, settings and maths as the federation.
 * `train` fits from `init` on data held in one place: local SGD for the network (labels on the model's target),
 * `steps` full-data boosting rounds for the additive model.
 */
export interface SimModel {
  family: ModelFamily;
  settings: ModelSettings;
  spec: ModelSpec;
  init: Float32Array;
  predict(weights: Float32Array, x: Float32Array, n: number): Float32Array;
  /** The point forecast and, when the model learns one, its mean forecast (what squared error scores). */
  forecast(weights: Float32Array, x: Float32Array, n: number): Forecast;
  train(init: Float32Array, data: TrainingData, config: LocalTrainConfig, steps: number, settings?: Partial<ModelSettings>): Promise<Float32Array>;
}

export function simModel(task: TaskId, settings: ModelSettings, seed: number, trainer: LocalTrainer): SimModel {
  const family = modelFamily(settings.kind);
  const spec = modelSpec(task, FEATURE_COUNT);
  return {
    family,
    settings,
    spec,
    init: family.init(spec, seed, settings),
    predict: (weights, x, n) => family.predict(spec, settings, weights, x, n),
    forecast: (weights, x, n) => ({ predictions: family.predict(spec, settings, weights, x, n), mean: family.predictMean(spec, settings, weights, x, n) }),
    async train(init, data, config, steps, override = {}) {
      if (data.n === 0) return init.slice();
      if (settings.kind === 'additive') return fitAdditive(task, { ...settings, ...override }, init, data, steps);
      if (settings.kind === 'trees') return fitTrees(task, { ...settings, ...override }, init, data, steps);
      return (await trainer.train(spec, init, { x: data.x, y: changeLabels(spec, settings, data), n: data.n }, config)).weights;
    },
  };
}
