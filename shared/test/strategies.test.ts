import { describe, expect, it } from 'vitest';
import {
  coordinateMedian,
  createStrategy,
  fedAdamOptimizer,
  fedAvgMOptimizer,
  fedYogiOptimizer,
  STRATEGY_NAMES,
  StrategyConfigError,
  trimmedMean,
  type FitOutcome,
} from '../src/aggregation/index.ts';
import { taskConfigSchema, defaultTaskConfig } from '../src/protocol/index.ts';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);
const outcome = (clientId: string, update: number[], numExamples = 1): FitOutcome => ({ clientId, numExamples, update: f32(...update), trainLoss: 0 });
const close = (actual: Float32Array, expected: number[]): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, 6));
};
const base = defaultTaskConfig('injury').fit;

describe('FedProx', () => {
  it('sends the proximal weight to clients and averages like FedAvg', () => {
    const s = createStrategy({ name: 'fedprox', proximalMu: 0.5 });
    expect(s.configureFit(3, { ...base, proximalMu: 0 })).toEqual({ ...base, proximalMu: 0.5 });
    // example-weighted mean: (1*2 + 3*6) / 4 = 5
    close(s.aggregator.aggregate([outcome('a', [2], 1), outcome('b', [6], 3)]), [5]);
    close(s.optimizer.step(f32(1), f32(5)), [6]);
  });

  it('keeps a task-level mu, else uses 0.01', () => {
    expect(createStrategy({ name: 'fedprox' }).configureFit(1, { ...base, proximalMu: 0.2 }).proximalMu).toBe(0.2);
    expect(createStrategy({ name: 'fedprox' }).configureFit(1, { ...base, proximalMu: 0 }).proximalMu).toBe(0.01);
    expect(createStrategy({ name: 'fedavg' }).configureFit(1, { ...base, proximalMu: 0 }).proximalMu).toBe(0);
  });
});

describe('FedAdam (Reddi et al. 2021, Algorithm 2)', () => {
  // beta1 = 0.5, beta2 = 0.5, tau = 1 (so v starts at 1), eta = 1.
  const o = { learningRate: 1, beta1: 0.5, beta2: 0.5, tau: 1 };

  it('matches two rounds computed by hand', () => {
    const opt = fedAdamOptimizer(o);
    // Round 1, delta = [7, -1]: m = 0.5*0 + 0.5*delta = [3.5, -0.5];
    // v = 0.5*1 + 0.5*delta^2 = [25, 1]; x = 0 + m / (sqrt(v) + 1) = [3.5/6, -0.5/2].
    const x1 = opt.step(f32(0, 0), f32(7, -1));
    close(x1, [3.5 / 6, -0.25]);
    // Round 2, delta = [1, 3]: m = [1.75 + 0.5, -0.25 + 1.5] = [2.25, 1.25];
    // v = [12.5 + 0.5, 0.5 + 4.5] = [13, 5]; x = x1 + m / (sqrt(v) + 1).
    const x2 = opt.step(x1, f32(1, 3));
    close(x2, [3.5 / 6 + 2.25 / (Math.sqrt(13) + 1), -0.25 + 1.25 / (Math.sqrt(5) + 1)]);
  });

  it('serializes its state and resumes identically', () => {
    const a = fedAdamOptimizer(o);
    const x1 = a.step(f32(0, 0), f32(7, -1));
    const saved = JSON.parse(JSON.stringify(a.state())) as unknown;
    expect(saved).toEqual({ kind: 'fedadam', m: [3.5, -0.5], v: [25, 1] });
    const b = fedAdamOptimizer(o);
    b.restore(saved);
    expect(Array.from(b.step(x1, f32(1, 3)))).toEqual(Array.from(a.step(x1, f32(1, 3))));
    expect(() => fedYogiOptimizer(o).restore(saved)).toThrow(/fedyogi/);
  });
});

describe('FedYogi', () => {
  it('changes v additively by the sign of v - delta^2', () => {
    const opt = fedYogiOptimizer({ learningRate: 1, beta1: 0.5, beta2: 0.5, tau: 1 });
    // delta = [4, -1, 0.5]; v0 = 1. v = v0 - 0.5 * delta^2 * sign(v0 - delta^2):
    // [1 + 8, 1 - 0 (sign 0), 1 - 0.125] = [9, 1, 0.875]; m = [2, -0.5, 0.25].
    const x1 = opt.step(f32(0, 0, 0), f32(4, -1, 0.5));
    close(x1, [2 / (3 + 1), -0.5 / (1 + 1), 0.25 / (Math.sqrt(0.875) + 1)]);
    expect(opt.state()).toEqual({ kind: 'fedyogi', m: [2, -0.5, 0.25], v: [9, 1, 0.875] });
  });
});

describe('FedAvgM', () => {
  it('accumulates momentum over rounds', () => {
    const opt = fedAvgMOptimizer({ learningRate: 1, momentum: 0.9 });
    // v1 = [1, 2] -> x1 = [1, 2]; v2 = 0.9*[1, 2] + [1, 0] = [1.9, 1.8] -> x2 = [2.9, 3.8].
    const x1 = opt.step(f32(0, 0), f32(1, 2));
    close(x1, [1, 2]);
    close(opt.step(x1, f32(1, 0)), [2.9, 3.8]);
    expect(opt.state()).toEqual({ kind: 'fedavgm', velocity: [1.9, expect.closeTo(1.8, 12)] });
  });

  it('is plain FedAvg with zero momentum and unit rate', () => {
    const s = createStrategy({ name: 'fedavgm', serverMomentum: 0, serverLearningRate: 1 });
    close(s.optimizer.step(f32(1, 1), f32(2, -3)), [3, -2]);
    close(s.optimizer.step(f32(1, 1), f32(2, -3)), [3, -2]);
  });
});

describe('robust aggregation', () => {
  const five = [
    outcome('a', [1, 5, 100], 1000),
    outcome('b', [2, -1, 0], 1),
    outcome('c', [10, 0, 0], 1),
    outcome('d', [3, 2, -100], 1),
    outcome('e', [4, 1, 1], 1),
  ];

  it('coordinate-wise median ignores example counts and outliers', () => {
    // sorted columns: [1,2,3,4,10] -> 3; [-1,0,1,2,5] -> 1; [-100,0,0,1,100] -> 0
    close(coordinateMedian(five), [3, 1, 0]);
    // even count: mean of the two middle values; [1,2,3,10] -> 2.5; [-1,0,2,5] -> 1; [-100,0,0,100] -> 0
    close(coordinateMedian([five[0]!, five[1]!, five[2]!, five[3]!]), [2.5, 1, 0]);
  });

  it('trimmed mean drops floor(beta*n) values at each end', () => {
    // beta = 0.2, n = 5 -> drop 1 each end: [2,3,4] -> 3; [0,1,2] -> 1; [0,0,1] -> 1/3
    close(trimmedMean(five, 0.2), [3, 1, 1 / 3]);
    // beta = 0.1 -> floor(0.5) = 0: the plain unweighted mean [4, 1.4, 0.2]
    close(trimmedMean(five, 0.1), [4, 1.4, 0.2]);
    close(createStrategy({ name: 'trimmed-mean', trimFraction: 0.2 }).aggregator.aggregate(five), [3, 1, 1 / 3]);
  });

  it('is refused under secure aggregation with a clear error', () => {
    for (const name of ['median', 'trimmed-mean'] as const) {
      expect(() => createStrategy({ name, secureAggregation: true })).toThrow(StrategyConfigError);
      expect(() => createStrategy({ name, secureAggregation: true })).toThrow(/needs each client's own update.*secure aggregation/);
      expect(createStrategy({ name }).aggregator.needsIndividualUpdates).toBe(true);
    }
    for (const name of ['fedavg', 'fedprox', 'fedadam', 'fedyogi', 'fedavgm'] as const) {
      expect(createStrategy({ name, secureAggregation: true }).aggregator.needsIndividualUpdates).toBe(false);
    }
  });
});

describe('createStrategy', () => {
  it('builds every listed strategy and the task config accepts each name', () => {
    for (const name of STRATEGY_NAMES) {
      expect(createStrategy({ name }).name).toBe(name);
      expect(taskConfigSchema.safeParse({ ...defaultTaskConfig('injury'), strategy: name }).success).toBe(true);
    }
  });

  it('refuses out-of-range hyperparameters', () => {
    expect(() => createStrategy({ name: 'trimmed-mean', trimFraction: 0.5 })).toThrow();
    expect(() => createStrategy({ name: 'fedadam', beta1: 1 })).toThrow();
  });
});
