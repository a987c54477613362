import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epochOrderInto, trainFast, wasmKernelsAvailable } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { modelSpec, type ModelSpec } from '../src/model/spec.ts';
import { epochOrder, trainTf, type LocalTrainConfig, type TrainingData } from '../src/model/trainTf.ts';
import { benchNet, maxAbsDiff, oddNet, relDiff, syntheticData } from './fastTrainFixtures.ts';

const WEIGHT_TOL = 1e-4;
const LOSS_REL_TOL = 1e-4;
const KERNELS = ['js', 'wasm'] as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface Case {
  name: string;
  spec: ModelSpec;
  data: TrainingData;
  config: LocalTrainConfig;
}

function config(over: Partial<LocalTrainConfig>): LocalTrainConfig {
  return { epochs: 4, batchSize: 16, learningRate: 0.05, seed: 11, proximalMu: 0, ...over };
}

const cases: Case[] = [];
for (const task of ['injury', 'readiness'] as const) {
  for (const proximalMu of [0, 0.05]) {
    for (const [n, batchSize] of [
      [103, 16],
      [64, 16],
      [7, 32],
    ] as const) {
      cases.push({ name: `${task} mu=${proximalMu} n=${n} batch=${batchSize}`, spec: modelSpec(task, 10), data: syntheticData(task, n, 10, n + 1), config: config({ batchSize, proximalMu }) });
    }
  }
}
cases.push({ name: '24-64-32-1 bce', spec: benchNet, data: syntheticData('injury', 150, 24, 3), config: config({ batchSize: 32, proximalMu: 0.01 }) });
cases.push({ name: 'odd widths + sigmoid hidden', spec: oddNet, data: syntheticData('readiness', 77, 7, 4), config: config({ batchSize: 10, learningRate: 0.03, proximalMu: 0.1 }) });
cases.push({
  name: 'saturated sigmoid (clipped probabilities)',
  spec: modelSpec('injury', 6),
  data: syntheticData('injury', 40, 6, 5, 40),
  config: config({ batchSize: 8, learningRate: 0.5, epochs: 3 }),
});

describe('trainFast matches trainTf', () => {
  it.each(cases)('$name', async ({ spec, data, config: cfg }) => {
    const init = initialWeights(spec, 42);
    const reference = await trainTf(spec, init, data, cfg);
    for (const kernels of KERNELS) {
      if (kernels === 'wasm' && !wasmKernelsAvailable()) continue;
      const fast = trainFast(spec, init, data, cfg, kernels);
      expect(fast.steps).toBe(reference.steps);
      expect(maxAbsDiff(fast.weights, reference.weights), kernels).toBeLessThan(WEIGHT_TOL);
      expect(relDiff(fast.loss, reference.loss), kernels).toBeLessThan(LOSS_REL_TOL);
    }
  });

  it('moves the weights (the comparison is not vacuous)', async () => {
    const spec = modelSpec('injury', 10);
    const init = initialWeights(spec, 1);
    const result = trainFast(spec, init, syntheticData('injury', 50, 10, 2), config({}));
    expect(maxAbsDiff(result.weights, init)).toBeGreaterThan(1e-2);
  });

  it('returns the initial weights and NaN loss for empty data, like trainTf', async () => {
    const spec = modelSpec('readiness', 4);
    const init = initialWeights(spec, 3);
    const empty = { x: new Float32Array(0), y: new Float32Array(0), n: 0 };
    const reference = await trainTf(spec, init, empty, config({}));
    const fast = trainFast(spec, init, empty, config({}));
    expect(fast.steps).toBe(0);
    expect(fast.loss).toBeNaN();
    expect(reference.loss).toBeNaN();
    expect(Array.from(fast.weights)).toEqual(Array.from(init));
  });

  it('does not mutate its inputs', () => {
    const spec = modelSpec('injury', 5);
    const init = initialWeights(spec, 3);
    const data = syntheticData('injury', 30, 5, 6);
    const [initCopy, xCopy, yCopy] = [init.slice(), data.x.slice(), data.y.slice()];
    trainFast(spec, init, data, config({ proximalMu: 0.1 }));
    expect(init).toEqual(initCopy);
    expect(data.x).toEqual(xCopy);
    expect(data.y).toEqual(yCopy);
  });

  it('rejects a weight vector of the wrong length', () => {
    const spec = modelSpec('injury', 5);
    expect(() => trainFast(spec, new Float32Array(3), syntheticData('injury', 4, 5, 1), config({}))).toThrow(RangeError);
  });
});

describe('epochOrderInto', () => {
  it('equals epochOrder', () => {
    const out = new Uint32Array(300);
    for (const n of [0, 1, 2, 17, 300]) {
      for (const [seed, epoch] of [
        [0, 0],
        [7, 3],
        [0xffffffff, 12],
      ] as const) {
        expect(Array.from(epochOrderInto(out, n, seed, epoch).subarray(0, n))).toEqual(Array.from(epochOrder(n, seed, epoch)));
      }
    }
  });
});
