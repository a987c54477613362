import type { FitOutcome, ServerOptimizer, UpdateAggregator } from './strategy.ts';

/** Mean of updates weighted by each client's example count (McMahan et al. 2017). */
export function exampleWeightedMean(outcomes: readonly FitOutcome[]): Float32Array {
  if (outcomes.length === 0) throw new Error('cannot average zero updates');
  const dim = outcomes[0]!.update.length;
  const total = outcomes.reduce((n, o) => n + o.numExamples, 0);
  if (!(total > 0)) throw new Error('total example count must be positive');
  const acc = new Float64Array(dim);
  for (const o of outcomes) {
    if (o.update.length !== dim) throw new Error(`update of ${o.clientId} has ${o.update.length} values, expected ${dim}`);
    const w = o.numExamples / total;
    for (let i = 0; i < dim; i++) acc[i]! += w * o.update[i]!;
  }
  return Float32Array.from(acc);
}

export const fedAvgAggregator: UpdateAggregator = {
  name: 'fedavg',
  needsIndividualUpdates: false,
  aggregate: exampleWeightedMean,
};

/** global + lr * update; lr = 1 is plain FedAvg. */
export function sgdServerOptimizer(learningRate = 1): ServerOptimizer {
  return {
    name: 'sgd',
    step(global, update) {
      const out = new Float32Array(global.length);
      for (let i = 0; i < global.length; i++) out[i] = global[i]! + learningRate * update[i]!;
      return out;
    },
    state: () => null,
    restore: () => undefined,
  };
}

/** Every client weighs the same: DP-FedAvg, where one client's influence is bounded by the clip alone. */
export function uniformMean(outcomes: readonly FitOutcome[]): Float32Array {
  if (outcomes.length === 0) throw new Error('cannot average zero updates');
  const out = new Float32Array(outcomes[0]!.update.length);
  for (const o of outcomes) for (let i = 0; i < out.length; i++) out[i]! += o.update[i]! / outcomes.length;
  return out;
}
