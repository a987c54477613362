import type { ServerOptimizer } from '../aggregation/strategy.ts';
import { additiveContribution, additiveMeanPredict, additivePredict, applyAdditiveAggregate, initialAdditive, resumeAdditive, type Contribution } from './additive/additiveModel.ts';
import { additiveContributionManifest, additiveManifest } from './additive/layout.ts';
import { initialWeights } from './init.ts';
import { predictNetwork } from './network.ts';
import { learnsMeanForecast, type ModelKind, type ModelSettings } from './settings.ts';
import { weightManifest, type ModelSpec, type WeightEntry } from './spec.ts';
import { treeContributionManifest, treeManifest, treeProgress, treeShape } from './trees/treeLayout.ts';
import { applyTreeAggregate, initialTrees, resumeTrees, treeContribution, treePredict } from './trees/treeModel.ts';
import { targetReference } from './target.ts';
import type { LocalTrainConfig, TrainingData } from './trainTf.ts';
import type { LocalTrainer } from './trainer.ts';

export type { Contribution } from './additive/additiveModel.ts';

export interface ContributionInputs {
  /** The task's network spec (task and input size; the network family also trains it). */
  spec: ModelSpec;
  settings: ModelSettings;
  /** The round's global parameters. */
  params: Float32Array;
  data: TrainingData;
  /** Local SGD settings (network only). */
  fit: LocalTrainConfig;
  /** Runs local SGD (network only). */
  trainer: LocalTrainer;
}

/**
 * A class of model the federation can train. All ride the same fit / secure-aggregation path: a client sends a
 * vector and a weight, the coordinator learns only their (weighted) mean and turns it into the next global model.
 */
export interface ModelFamily {
  readonly kind: ModelKind;
  /** Layout of the parameter vector (the additive model's holds a second head when the settings learn the mean forecast). */
  manifest(spec: ModelSpec, settings: ModelSettings): WeightEntry[];
  /** Layout of a client's contribution (the network's: the parameters'; the additive model's depends on its step). */
  contributionManifest(spec: ModelSpec, settings: ModelSettings): WeightEntry[];
  /** The round-0 global model. */
  init(spec: ModelSpec, seed: number, settings: ModelSettings): Float32Array;
  /** A checkpoint's parameters in the layout `settings` train (an older layout the family can still read is converted). */
  resume(params: Float32Array, settings: ModelSettings): Float32Array;
  localContribution(inputs: ContributionInputs): Promise<Contribution>;
  /**
   * The next global model from the mean contribution; `optimizer` is the task strategy's server optimizer; `noiseStd`
   * the std of the DP noise on each coordinate of `mean` (0: none), which the histogram families read to ignore bins
   * the noise would decide.
   */
  applyAggregate(spec: ModelSpec, settings: ModelSettings, params: Float32Array, mean: Float32Array, optimizer: ServerOptimizer, noiseStd: number): Float32Array;
  /** Predictions in label units (readiness points, injury probability) for n day vectors. */
  predict(spec: ModelSpec, settings: ModelSettings, params: ArrayLike<number>, x: Float32Array, n: number): Float32Array;
  /**
   * The mean forecast (readiness points) for n day vectors when the model learns one beside its median (`meanForecast`),
   * else null: the point forecast squared error scores, `predict`'s being the one absolute error scores.
   */
  predictMean(spec: ModelSpec, settings: ModelSettings, params: ArrayLike<number>, x: Float32Array, n: number): Float32Array | null;
  /** Whether no further round can change the model (every tree built); the coordinator then opens no more rounds. */
  complete(settings: ModelSettings, params: ArrayLike<number>): boolean;
}

/** The dense network: the contribution is the local SGD delta; the strategy's server optimizer applies the mean. */
export const networkFamily: ModelFamily = {
  kind: 'network',
  manifest: (spec) => weightManifest(spec),
  contributionManifest: (spec) => weightManifest(spec),
  init: (spec, seed) => initialWeights(spec, seed),
  resume: (params) => params,
  async localContribution({ spec, settings, params, data, fit, trainer }) {
    const y = changeLabels(spec, settings, data);
    const result = await trainer.train(spec, params, { x: data.x, y, n: data.n }, fit);
    const vector = new Float32Array(params.length);
    for (let i = 0; i < vector.length; i++) vector[i] = result.weights[i]! - params[i]!;
    return { vector, weight: data.n, loss: result.loss };
  },
  applyAggregate: (_spec, _settings, params, mean, optimizer) => optimizer.step(params, mean),
  predict(spec, settings, params, x, n) {
    const out = predictNetwork(spec, params, x, n);
    for (let r = 0; r < n; r++) out[r] = out[r]! + targetReference(spec.task, settings, x, r * spec.inputSize);
    return out;
  },
  predictMean: () => null,
  complete: () => false,
};

/** The boosted additive model: the contribution is per-bin gradient and hessian sums; the coordinator takes a Newton step. */
export const additiveFamily: ModelFamily = {
  kind: 'additive',
  manifest: (_spec, settings) => additiveManifest(learnsMeanForecast(settings)),
  contributionManifest: (_spec, settings) => additiveContributionManifest(settings),
  init: (_spec, _seed, settings) => initialAdditive(settings),
  resume: (params, settings) => resumeAdditive(params, settings),
  localContribution: async ({ spec, settings, params, data }) => additiveContribution(spec.task, settings, params, data),
  applyAggregate: (spec, settings, params, mean, _optimizer, noiseStd) => applyAdditiveAggregate(spec.task, settings, params, mean, noiseStd),
  predict: (spec, settings, params, x, n) => additivePredict(spec.task, settings, params, x, n),
  predictMean: (spec, settings, params, x, n) => additiveMeanPredict(spec.task, settings, params, x, n),
  complete: () => false,
};

/** Boosted histogram trees, one level per round: the contribution is per-node, per-bin gradient and hessian sums. */
export const treesFamily: ModelFamily = {
  kind: 'trees',
  manifest: (_spec, settings) => treeManifest(settings),
  contributionManifest: (_spec, settings) => treeContributionManifest(settings),
  init: (_spec, _seed, settings) => initialTrees(settings),
  resume: (params, settings) => resumeTrees(params, settings),
  localContribution: async ({ spec, settings, params, data }) => treeContribution(spec.task, settings, params, data),
  applyAggregate: (spec, settings, params, mean, _optimizer, noiseStd) => applyTreeAggregate(spec.task, settings, params, mean, noiseStd),
  predict: (spec, settings, params, x, n) => treePredict(spec.task, settings, params, x, n),
  predictMean: () => null,
  complete: (settings, params) => treeProgress(treeShape(settings), params).tree === treeShape(settings).count,
};

export function modelFamily(kind: ModelKind): ModelFamily {
  switch (kind) {
    case 'network':
      return networkFamily;
    case 'additive':
      return additiveFamily;
    case 'trees':
      return treesFamily;
  }
}

/** Labels on the model's target: minus the reference for 'change' targets. */
export function changeLabels(spec: ModelSpec, settings: ModelSettings, data: TrainingData): Float32Array {
  if (spec.task !== 'readiness' || settings.target !== 'change') return data.y;
  const y = new Float32Array(data.n);
  for (let r = 0; r < data.n; r++) y[r] = data.y[r]! - targetReference(spec.task, settings, data.x, r * spec.inputSize);
  return y;
}
