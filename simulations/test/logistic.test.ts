import { describe, expect, it } from 'vitest';
import { Prng } from '@huddle/shared/random';
import { predictLogistic, trainLogistic } from '../src/baselines/logistic.ts';

describe('trainLogistic', () => {
  it('recovers known coefficients (on standardised features) from simulated data', () => {
    const rng = new Prng(9);
    const n = 20_000;
    const x = new Float64Array(n * 3);
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      const b = rng.normal();
      x.set([a, b, 7], i * 3); // the third feature is constant
      y.push(rng.bernoulli(1 / (1 + Math.exp(-(-1 + 1.5 * a - 0.5 * b)))) ? 1 : 0);
    }
    const model = trainLogistic(x, y, 3, { l2: 0 });
    expect(model.weights[0]).toBeCloseTo(1.5, 1);
    expect(model.weights[1]).toBeCloseTo(-0.5, 1);
    expect(model.weights[2]).toBe(0);
    expect(model.bias).toBeCloseTo(-1, 1);
    const p = predictLogistic(model, [0, 0, 7]);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(1)), 1);
  });

  it('stays finite on separable data thanks to L2', () => {
    const model = trainLogistic([0, 1, 2, 3], [0, 0, 1, 1], 1, { l2: 0.01 });
    expect(Number.isFinite(model.weights[0]!)).toBe(true);
    const [low, high] = predictLogistic(model, [0, 3]);
    expect(low!).toBeLessThan(0.2);
    expect(high!).toBeGreaterThan(0.8);
  });

  it('rejects non-finite features, bad labels and shape mismatches', () => {
    expect(() => trainLogistic([NaN, 1], [0, 1], 1)).toThrow(RangeError);
    expect(() => trainLogistic([0, 1], [0, 2], 1)).toThrow(RangeError);
    expect(() => trainLogistic([0, 1, 2], [0, 1], 1)).toThrow(RangeError);
  });
});
