import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBatchingTrainer, createDeviceTrainer, fastTrainer, tfjsTrainer, trainFast, trainMany, type LocalTrainer } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { modelSpec } from '../src/model/spec.ts';
import type { LocalTrainConfig } from '../src/model/trainTf.ts';
import { maxAbsDiff, relDiff, sameResult, syntheticData } from './fastTrainFixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = (i: number): LocalTrainConfig => ({ epochs: 2, batchSize: 8 + (i % 3) * 4, learningRate: 0.05, seed: i, proximalMu: i % 2 ? 0.02 : 0 });

describe('LocalTrainer implementations', () => {
  it('tfjsTrainer and fastTrainer agree', async () => {
    const spec = modelSpec('readiness', 8);
    const init = initialWeights(spec, 1);
    const data = syntheticData('readiness', 45, 8, 2);
    const [a, b] = await Promise.all([tfjsTrainer.train(spec, init, data, config(1)), fastTrainer.train(spec, init, data, config(1))]);
    expect(maxAbsDiff(a.weights, b.weights)).toBeLessThan(1e-4);
    expect(relDiff(a.loss, b.loss)).toBeLessThan(1e-4);
  });
});

describe('createDeviceTrainer', () => {
  afterEach(() => vi.restoreAllMocks());

  it('trains with the fast kernels by default: the same result as trainFast', async () => {
    const spec = modelSpec('injury', 8);
    const init = initialWeights(spec, 2);
    const data = syntheticData('injury', 33, 8, 3);
    let fellBack = 0;
    const trainer = createDeviceTrainer({ onFallback: () => fellBack++ });
    expect(sameResult(await trainer.train(spec, init, data, config(2)), trainFast(spec, init, data, config(2)))).toBe(true);
    expect(fellBack).toBe(0);
  });

  it('falls back to tfjs for good when the kernels cannot run, and never for bad input', async () => {
    // A spec no other test caches a workspace for, so the trainer must allocate WebAssembly memory, which fails here.
    const spec = modelSpec('readiness', 5);
    const init = initialWeights(spec, 4);
    const data = syntheticData('readiness', 21, 5, 4);
    const errors: unknown[] = [];
    const fallbackCalls: number[] = [];
    const trainer = createDeviceTrainer({
      kernels: 'wasm',
      onFallback: (e) => errors.push(e),
      fallback: { train: (...args) => (fallbackCalls.push(1), tfjsTrainer.train(...args)) },
    });
    await expect(trainer.train(spec, new Float32Array(2), data, config(1))).rejects.toThrow(RangeError);
    expect(fallbackCalls).toHaveLength(0);
    vi.spyOn(WebAssembly, 'Memory').mockImplementation(function () {
      throw new Error('cannot allocate');
    });
    const result = await trainer.train(spec, init, data, config(1));
    expect(errors).toHaveLength(1);
    expect(sameResult(result, await tfjsTrainer.train(spec, init, data, config(1)))).toBe(true);
    vi.restoreAllMocks();
    await trainer.train(spec, init, data, config(1));
    expect(fallbackCalls).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });
});

describe('createBatchingTrainer', () => {
  it('trains concurrent callers in one pass and returns each its own result', async () => {
    const passes: number[] = [];
    const trainer: LocalTrainer = createBatchingTrainer({
      runBatch: (spec, jobs) => {
        passes.push(jobs.length);
        return trainMany(spec, jobs);
      },
    });
    const injury = modelSpec('injury', 8);
    const readiness = modelSpec('readiness', 8);
    const calls = Array.from({ length: 12 }, (_, i) => {
      const spec = i % 4 === 0 ? readiness : injury;
      return { spec, init: initialWeights(spec, i), data: syntheticData(spec.task, 10 + 7 * i, 8, i), config: config(i) };
    });
    // Each simulated client awaits something of its own before training, as the SDK does.
    const results = await Promise.all(
      calls.map(async (c, i) => {
        for (let k = 0; k < i % 3; k++) await Promise.resolve();
        return trainer.train(c.spec, c.init, c.data, c.config);
      }),
    );
    expect(passes.sort((a, b) => a - b)).toEqual([3, 9]);
    results.forEach((r, i) => {
      const c = calls[i]!;
      expect(sameResult(r, trainFast(c.spec, c.init, c.data, c.config)), `caller ${i}`).toBe(true);
    });
  });

  it('batches calls from one macrotask together and later calls separately', async () => {
    let flushed = 0;
    const spec = modelSpec('injury', 4);
    const trainer = createBatchingTrainer();
    const call = (i: number) =>
      trainer.train(spec, initialWeights(spec, i), syntheticData('injury', 20, 4, i), config(i)).then((r) => {
        flushed++;
        return r;
      });
    const first = [call(1), call(2)];
    await Promise.resolve();
    expect(flushed).toBe(0);
    await Promise.all(first);
    expect(flushed).toBe(2);
    const later = await call(3);
    expect(sameResult(later, trainFast(spec, initialWeights(spec, 3), syntheticData('injury', 20, 4, 3), config(3)))).toBe(true);
  });

  it('snapshots init at call time', async () => {
    const spec = modelSpec('readiness', 4);
    const init = initialWeights(spec, 9);
    const data = syntheticData('readiness', 30, 4, 9);
    const expected = trainFast(spec, init, data, config(0));
    const trainer = createBatchingTrainer();
    const pending = trainer.train(spec, init, data, config(0));
    init.fill(0);
    expect(sameResult(await pending, expected)).toBe(true);
  });

  it('rejects only the caller with bad input', async () => {
    const spec = modelSpec('injury', 4);
    const trainer = createBatchingTrainer();
    const good = trainer.train(spec, initialWeights(spec, 1), syntheticData('injury', 20, 4, 1), config(1));
    const bad = trainer.train(spec, new Float32Array(2), syntheticData('injury', 20, 4, 1), config(1));
    await expect(bad).rejects.toThrow(RangeError);
    await expect(good).resolves.toMatchObject({ steps: expect.any(Number) });
  });
});
