import { describe, expect, it } from 'vitest';
import { Prng } from '../src/random/prng.ts';
import { drawGamma, quantile } from '../src/twin/numeric.ts';
import { frailtyQuantile } from '../src/twin/risk.ts';

describe('upper quantile of the frailty posterior', () => {
  it('matches the quantiles of gamma draws (prior-only and after a few injuries)', () => {
    const rng = new Prng(11);
    for (const post of [{ shape: 4, rate: 4 }, { shape: 7, rate: 5.2 }]) {
      const draws = Array.from({ length: 40000 }, () => drawGamma(post.shape, () => rng.uniform(0, 1), () => rng.normal(0, 1)) / post.rate);
      for (const [z, q] of [[0, 0.5], [0.8416, 0.8], [1.6449, 0.95]] as const) {
        expect(Math.abs(frailtyQuantile(post, z) / quantile(draws, q) - 1)).toBeLessThan(0.02);
      }
    }
  });

  it('a longer injury history narrows it: the 90th percentile sits closer to the mean', () => {
    const z = 1.2816;
    const short = { shape: 4, rate: 4 };
    const long = { shape: 24, rate: 24 };
    expect(frailtyQuantile(long, z)).toBeLessThan(frailtyQuantile(short, z));
    expect(frailtyQuantile(short, z)).toBeGreaterThan(1.5);
  });
});
