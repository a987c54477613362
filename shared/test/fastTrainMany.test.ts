import { describe, expect, it } from 'vitest';
import { trainFast, trainMany, wasmKernelsAvailable, type TrainJob } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { modelSpec } from '../src/model/spec.ts';
import { benchNet, oddNet, sameResult, syntheticData } from './fastTrainFixtures.ts';

const KERNELS = (['js', 'wasm'] as const).filter((k) => k === 'js' || wasmKernelsAvailable());

/** Ragged clients: n from 0 to 200, batch sizes that do and do not divide n, mixed epochs, rates, mu, seeds. */
function raggedJobs(spec: typeof benchNet, count: number): TrainJob[] {
  const init = initialWeights(spec, 5);
  return Array.from({ length: count }, (_, i) => ({
    init: i % 3 === 0 ? init : initialWeights(spec, 100 + i),
    data: syntheticData(spec.task, [0, 1, 13, 32, 57, 200][i % 6]!, spec.inputSize, i),
    config: {
      epochs: 1 + (i % 3),
      batchSize: [8, 16, 32, 50][i % 4]!,
      learningRate: 0.01 + 0.01 * (i % 5),
      seed: 1000 + i,
      proximalMu: i % 2 === 0 ? 0 : 0.05,
    },
  }));
}

describe('trainMany', () => {
  it.each(KERNELS)('equals K separate trainFast calls bit for bit (%s kernels)', (kernels) => {
    for (const spec of [modelSpec('injury', 12), modelSpec('readiness', 9), benchNet, oddNet]) {
      const jobs = raggedJobs(spec, 14);
      const batched = trainMany(spec, jobs, kernels);
      expect(batched).toHaveLength(jobs.length);
      jobs.forEach((job, i) => {
        const single = trainFast(spec, job.init, job.data, job.config, kernels);
        expect(sameResult(batched[i]!, single), `${spec.task} client ${i}`).toBe(true);
      });
    }
  });

  it('gives each client its own, independent weights', () => {
    const spec = modelSpec('injury', 6);
    const jobs = raggedJobs(spec, 6).filter((j) => j.data.n > 0);
    const results = trainMany(spec, jobs);
    expect(new Set(results.map((r) => r.weights.buffer)).size).toBe(results.length);
    const reversed = trainMany(spec, [...jobs].reverse()).reverse();
    results.forEach((r, i) => expect(sameResult(r, reversed[i]!)).toBe(true));
  });

  it('returns nothing for no jobs', () => {
    expect(trainMany(benchNet, [])).toEqual([]);
  });
});
