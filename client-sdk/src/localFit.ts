import { modelFamily, modelSpec, parameterCount, type LocalTrainer, type ModelFamily, type ModelSettings, type ModelSpec, type TaskId, type TrainingData, type WeightEntry } from '@huddle/shared/model';
import type { FitConfig } from '@huddle/shared/protocol';
import { clipL2InPlace } from '@huddle/shared/privacy';

export interface TaskModel {
  family: ModelFamily;
  settings: ModelSettings;
  spec: ModelSpec;
  manifest: WeightEntry[];
}

/** The task's model for this client's feature set; throws when the coordinator's parameters do not match it. */
export function taskModelFor(task: TaskId, settings: ModelSettings, featureCount: number, parameterBytes: number): TaskModel {
  const family = modelFamily(settings.kind);
  const spec = modelSpec(task, featureCount);
  const manifest = family.manifest(spec, settings);
  if (parameterCount(manifest) * 4 !== parameterBytes) throw new Error(`model of ${task} does not match this client's feature set`);
  return { family, settings, spec, manifest };
}

/**
 * This client's part of a round, clipped to L2 norm <= clipNorm (scaled down, never up): the local SGD delta (network)
 * or the per-bin gradient and hessian means (additive). Throws on a non-finite vector (diverged training).
 */
export async function clippedContribution(model: TaskModel, global: Float32Array, train: TrainingData, config: FitConfig, trainer: LocalTrainer) {
  const contribution = await model.family.localContribution({
    spec: model.spec,
    settings: model.settings,
    params: global,
    data: train,
    fit: { epochs: config.localEpochs, batchSize: config.batchSize, learningRate: config.learningRate, seed: config.seed, proximalMu: config.proximalMu },
    trainer,
  });
  const { norm, scale } = clipL2InPlace(contribution.vector, config.clipNorm);
  return { update: contribution.vector, loss: contribution.loss, norm, clipped: scale < 1 };
}
