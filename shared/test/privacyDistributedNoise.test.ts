import { describe, expect, it } from 'vitest';
import { discreteGaussian, discreteGaussianSumTau, distributedNoiseScale, effectiveNoiseMultiplier } from '../src/privacy/index.ts';

const params = { noiseMultiplier: 1.2, clip: 0.5, scale: 100, expectedClients: 100, minSurvivors: 80 };

describe('distributedNoiseScale', () => {
  it('sizes each client so the minimum survivors alone reach the target std', () => {
    const plan = distributedNoiseScale(params);
    expect(plan.targetSigma).toBeCloseTo(1.2 * 0.5 * 100, 12);
    expect(plan.perClientSigma).toBeCloseTo(60 / Math.sqrt(80), 12);
    expect(plan.noiseMultiplierIfAllSurvive).toBeCloseTo(1.2 * Math.sqrt(100 / 80), 12);
    expect(plan.tau).toBeLessThan(1e-100);
  });

  it('meets the target exactly at the minimum survivors and falls short below it', () => {
    const { perClientSigma } = distributedNoiseScale(params);
    const at = (survivors: number) => effectiveNoiseMultiplier({ perClientSigma, clip: 0.5, scale: 100, survivors });
    expect(at(80)).toBeCloseTo(1.2, 12);
    expect(at(79)).toBeLessThan(1.2);
    expect(at(100)).toBeGreaterThan(1.2);
  });

  it('sums to the target variance when only the minimum survivors contribute', () => {
    const survivors = 20;
    const { perClientSigma, targetSigma } = distributedNoiseScale({ noiseMultiplier: 1, clip: 1, scale: 30, expectedClients: 25, minSurvivors: survivors });
    const n = 50_000;
    const total = new Float64Array(n);
    for (let c = 0; c < survivors; c++) {
      const share = discreteGaussian(n, perClientSigma);
      for (let i = 0; i < n; i++) total[i]! += share[i]!;
    }
    let squares = 0;
    for (const x of total) squares += x * x;
    const variance = squares / n;
    expect(Math.abs(variance - targetSigma ** 2)).toBeLessThan(6 * targetSigma ** 2 * Math.sqrt(2 / n));
  });

  it('rejects impossible settings', () => {
    expect(() => distributedNoiseScale({ ...params, minSurvivors: 101 })).toThrow(/minSurvivors/);
    expect(() => distributedNoiseScale({ ...params, minSurvivors: 0 })).toThrow(/minSurvivors/);
    expect(() => distributedNoiseScale({ ...params, scale: 0 })).toThrow(/scale/);
    expect(() => effectiveNoiseMultiplier({ perClientSigma: 1, clip: 1, scale: 1, survivors: 0 })).toThrow(/survivors/);
  });
});

describe('discreteGaussianSumTau (KLS21 Theorem 1)', () => {
  it('evaluates 10 * sum_{k=1}^{n-1} exp(-2 pi^2 sigma^2 k / (k + 1))', () => {
    const a = 2 * Math.PI ** 2 * 0.25;
    const expected = 10 * (Math.exp(-a / 2) + Math.exp((-a * 2) / 3));
    expect(discreteGaussianSumTau(0.5, 3)).toBeCloseTo(expected, 14);
    expect(discreteGaussianSumTau(0.5, 1)).toBe(0);
  });

  it('falls off like exp(-pi^2 sigma^2), the size of its largest term', () => {
    for (const sigma of [0.5, 1, 2]) {
      expect(discreteGaussianSumTau(sigma, 1000)).toBeLessThan(10 * 999 * Math.exp(-(Math.PI ** 2) * sigma ** 2));
    }
    expect(discreteGaussianSumTau(1, 1000)).toBeLessThan(1e-3);
    expect(discreteGaussianSumTau(2, 1000)).toBeLessThan(1e-12);
    expect(discreteGaussianSumTau(0.3, 1000)).toBeGreaterThan(1);
  });
});
