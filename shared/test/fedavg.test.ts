import { describe, expect, it } from 'vitest';
import { exampleWeightedMean, sgdServerOptimizer } from '../src/aggregation/index.ts';

describe('FedAvg', () => {
  it('equals the example-weighted mean on a hand-computed case', () => {
    const mean = exampleWeightedMean([
      { clientId: 'a', numExamples: 1, update: Float32Array.from([1, 2, -3]), trainLoss: 0 },
      { clientId: 'b', numExamples: 3, update: Float32Array.from([5, 0, 1]), trainLoss: 0 },
      { clientId: 'c', numExamples: 4, update: Float32Array.from([-2, 4, 0]), trainLoss: 0 },
    ]);
    // (1*1 + 3*5 + 4*-2) / 8 = 1; (1*2 + 0 + 4*4) / 8 = 2.25; (1*-3 + 3*1 + 0) / 8 = 0
    expect(Array.from(mean)).toEqual([1, 2.25, 0]);
  });

  it('is not the unweighted mean when counts differ', () => {
    const mean = exampleWeightedMean([
      { clientId: 'a', numExamples: 9, update: Float32Array.from([0]), trainLoss: 0 },
      { clientId: 'b', numExamples: 1, update: Float32Array.from([10]), trainLoss: 0 },
    ]);
    expect(mean[0]).toBeCloseTo(1, 6);
  });

  it('refuses mismatched lengths and empty rounds', () => {
    expect(() => exampleWeightedMean([])).toThrow(/zero updates/);
    expect(() =>
      exampleWeightedMean([
        { clientId: 'a', numExamples: 1, update: new Float32Array(2), trainLoss: 0 },
        { clientId: 'b', numExamples: 1, update: new Float32Array(3), trainLoss: 0 },
      ]),
    ).toThrow(/expected 2/);
  });

  it('applies the mean update with the server learning rate', () => {
    const next = sgdServerOptimizer(0.5).step(Float32Array.from([1, 1]), Float32Array.from([2, -4]));
    expect(Array.from(next)).toEqual([2, -1]);
  });
});

describe('uniform mean (DP-FedAvg)', () => {
  it('weighs every client the same whatever its example count', async () => {
    const { uniformMean } = await import('../src/aggregation/index.ts');
    const mean = uniformMean([
      { clientId: 'a', numExamples: 9, update: Float32Array.from([0, 3]), trainLoss: 0 },
      { clientId: 'b', numExamples: 1, update: Float32Array.from([10, -3]), trainLoss: 0 },
    ]);
    expect(Array.from(mean)).toEqual([5, 0]);
  });
});
