import { sharedWorkspace, type KernelChoice } from './fastTrain.ts';
import type { LocalTrainConfig, LocalTrainResult, TrainingData } from './trainTf.ts';
import type { ModelSpec } from './spec.ts';

export interface TrainJob {
  init: Float32Array;
  data: TrainingData;
  config: LocalTrainConfig;
}

/**
 * Trains K clients of one spec; result i equals `trainFast(spec, jobs[i].init, jobs[i].data, jobs[i].config)`
 * bit for bit. Clients may differ in n, batch size, epochs, learning rate, mu and seed.
 *
 * Clients run back to back through one cached workspace. Stepping all clients' batch b together
 * measured 1.5-2x slower: the kernels carry no per-op dispatch cost to amortise, and lockstep cycles
 * K weight sets through the cache.
 */
export function trainMany(spec: ModelSpec, jobs: readonly TrainJob[], kernels: KernelChoice = 'auto'): LocalTrainResult[] {
  if (jobs.length === 0) return [];
  const workspace = sharedWorkspace(spec, Math.max(...jobs.map((j) => Math.min(j.config.batchSize, j.data.n))), kernels);
  return jobs.map((j) => workspace.train(j.init, j.data, j.config));
}
