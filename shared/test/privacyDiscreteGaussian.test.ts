import { describe, expect, it } from 'vitest';
import { bernoulliExpMinus, discreteGaussian, discreteLaplace } from '../src/privacy/index.ts';

// Fixed sample sizes, 6-standard-error tolerances (see privacyGaussianNoise.test.ts).
const N = 200_000;

/** Exact probability mass of N_Z(0, sigma^2) at x, normalised by summing the support within 60 sigma. */
function discreteGaussianPmf(sigma: number): (x: number) => number {
  const weight = (x: number) => Math.exp(-(x * x) / (2 * sigma * sigma));
  const reach = Math.ceil(60 * sigma) + 10;
  let total = 0;
  for (let x = -reach; x <= reach; x++) total += weight(x);
  return (x) => weight(x) / total;
}

function expectFrequency(count: number, n: number, p: number): void {
  expect(Math.abs(count - n * p)).toBeLessThan(6 * Math.sqrt(n * p * (1 - p)) + 1);
}

function counts(samples: Int32Array): Map<number, number> {
  const byValue = new Map<number, number>();
  for (const x of samples) byValue.set(x, (byValue.get(x) ?? 0) + 1);
  return byValue;
}

describe('bernoulliExpMinus (CKS20 Algorithm 1)', () => {
  it.each([0, 0.3, 1, 2.5])('is true with probability exp(-%f)', (gamma) => {
    let hits = 0;
    for (let i = 0; i < N; i++) if (bernoulliExpMinus(gamma)) hits++;
    expectFrequency(hits, N, Math.exp(-gamma));
  });
});

describe('discreteLaplace (CKS20 Algorithm 2)', () => {
  it('has mass proportional to exp(-|x| / t)', () => {
    const t = 2;
    const samples = Int32Array.from({ length: N }, () => discreteLaplace(t));
    const byValue = counts(samples);
    const normaliser = (1 - Math.exp(-1 / t)) / (1 + Math.exp(-1 / t));
    for (let x = -5; x <= 5; x++) expectFrequency(byValue.get(x) ?? 0, N, normaliser * Math.exp(-Math.abs(x) / t));
  });
});

describe('discreteGaussian (CKS20 Algorithm 3)', () => {
  it.each([0.5, 1.5, 4])('matches the exact mass function for sigma = %f', (sigma) => {
    const pmf = discreteGaussianPmf(sigma);
    const byValue = counts(discreteGaussian(N, sigma));
    const reach = Math.ceil(3 * sigma);
    for (let x = -reach; x <= reach; x++) expectFrequency(byValue.get(x) ?? 0, N, pmf(x));
  });

  it('has mean 0 and variance ~sigma^2 for a large sigma', () => {
    const sigma = 250;
    const samples = discreteGaussian(N, sigma);
    let sum = 0;
    for (const x of samples) sum += x;
    const mean = sum / N;
    let squares = 0;
    for (const x of samples) squares += (x - mean) ** 2;
    const variance = squares / (N - 1);
    expect(Math.abs(mean)).toBeLessThan((6 * sigma) / Math.sqrt(N));
    expect(Math.abs(variance - sigma * sigma)).toBeLessThan(6 * sigma * sigma * Math.sqrt(2 / N));
  });

  it('returns integers in an Int32Array and zeros for sigma 0', () => {
    const samples = discreteGaussian(10, 3.7);
    expect(samples).toBeInstanceOf(Int32Array);
    expect(Array.from(discreteGaussian(3, 0))).toEqual([0, 0, 0]);
  });

  it('rejects invalid parameters', () => {
    expect(() => discreteGaussian(1, -1)).toThrow(/sigma/);
    expect(() => discreteGaussian(1, 2 ** 25)).toThrow(/sigma/);
    expect(() => discreteGaussian(-1, 1)).toThrow(RangeError);
    expect(() => discreteLaplace(0)).toThrow(RangeError);
  });
});
