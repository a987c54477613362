import type { TaskExamples } from '@huddle/shared/data';
import type { LocalTrainConfig, LocalTrainer, ModelSpec } from '@huddle/shared/model';

/** The upper reference: the same network trained on every training athlete's rows pooled in one place. */
export async function trainCentralized(spec: ModelSpec, init: Float32Array, pooled: TaskExamples, config: LocalTrainConfig, trainer: LocalTrainer): Promise<Float32Array> {
  if (pooled.n === 0) return init.slice();
  return (await trainer.train(spec, init, pooled, config)).weights;
}

/**
 * Epochs giving the pooled model about as many passes over the data as the federation makes:
 * rounds x local epochs x the fraction of clients taking part per round.
 */
export function comparableEpochs(rounds: number, localEpochs: number, clientsPerRound: number, trainingClients: number): number {
  return Math.max(1, Math.round((rounds * localEpochs * Math.min(clientsPerRound, trainingClients)) / Math.max(1, trainingClients)));
}
