import { afterEach, describe, expect, it, vi } from 'vitest';
import { gaussianNoise, type RandomSource, uniform53, uniformInt } from '../src/privacy/index.ts';

// Statistical checks use a fixed sample size and 6-standard-error tolerances: a correct sampler fails
// with probability ~1e-9 per check, a sampler off by a few percent in scale fails reliably.
const N = 200_000;

function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return { mean, variance: squares / (values.length - 1) };
}

function sequence(words: number[]): RandomSource {
  let i = 0;
  return { nextUint32: () => words[i++ % words.length]! };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gaussianNoise', () => {
  it('has mean 0 and variance sd^2', () => {
    const sd = 3;
    const { mean, variance } = moments(gaussianNoise(N, sd));
    expect(Math.abs(mean)).toBeLessThan((6 * sd) / Math.sqrt(N));
    expect(Math.abs(variance - sd * sd)).toBeLessThan(6 * sd * sd * Math.sqrt(2 / N));
  });

  it('puts 68.27% of the mass within one standard deviation', () => {
    const samples = gaussianNoise(N, 2);
    const inside = samples.filter((x) => Math.abs(x) <= 2).length / N;
    const p = 0.6826894921370859;
    expect(Math.abs(inside - p)).toBeLessThan(6 * Math.sqrt((p * (1 - p)) / N));
  });

  it('returns exactly n samples, including odd n, and zeros for sd 0', () => {
    expect(gaussianNoise(7, 1)).toHaveLength(7);
    expect(Number.isFinite(gaussianNoise(7, 1)[6])).toBe(true);
    expect(Array.from(gaussianNoise(3, 0))).toEqual([0, 0, 0]);
  });

  it('draws from crypto.getRandomValues', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    gaussianNoise(20_000, 1); // 40,000 words: more than one 16,384-word buffer
    expect(spy).toHaveBeenCalled();
  });

  it('rejects invalid sizes', () => {
    expect(() => gaussianNoise(-1, 1)).toThrow(RangeError);
    expect(() => gaussianNoise(1.5, 1)).toThrow(RangeError);
    expect(() => gaussianNoise(2, -1)).toThrow(/sd/);
  });
});

describe('uniform random numbers', () => {
  it('builds doubles in [0, 1) from 53 random bits', () => {
    expect(uniform53(sequence([0, 0]))).toBe(0);
    expect(uniform53(sequence([0xffffffff, 0xffffffff]))).toBe(1 - 2 ** -53);
    expect(uniform53(sequence([0, 0x40]))).toBe(2 ** -53);
  });

  it('draws integers without modulo bias by rejecting the top of the range', () => {
    // For n = 3 the word 2^32 - 1 would over-weight 0, so it is skipped.
    expect(uniformInt(3, sequence([0xffffffff, 7]))).toBe(1);
    expect(uniformInt(1, sequence([12345]))).toBe(0);
    expect(() => uniformInt(0)).toThrow(RangeError);
  });
});
