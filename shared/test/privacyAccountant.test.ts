import { describe, expect, it } from 'vitest';
import { computeEpsilon, erfc, findNoiseMultiplier } from '../src/privacy/index.ts';

describe('computeEpsilon', () => {
  // Reference: TF Privacy's algorithm (compute_rdp + get_privacy_spent with DEFAULT_RDP_ORDERS)
  // run in Python with scipy: [samplingRate, noiseMultiplier, rounds, delta, epsilon, order].
  const reference: [number, number, number, number, number, number][] = [
    [0.01, 1.1, 1000, 1e-5, 1.7117700912203437, 9.6],
    [0.001, 0.8, 10000, 1e-6, 1.703625280575857, 8.2],
    [0.05, 2.0, 500, 1e-5, 2.7685845307972086, 7.6],
    [0.2, 5.0, 100, 1e-8, 2.381446813768931, 14],
    [1.0, 3.0, 20, 1e-5, 7.53230607327611, 4],
    [0.5, 0.7, 3, 1e-3, 7.926996654742986, 2.4],
    [0.003, 1.3, 30000, 1e-6, 2.279410747650708, 10.9],
  ];

  it.each(reference)('q=%f z=%f T=%i delta=%f matches TF Privacy', (samplingRate, noiseMultiplier, rounds, delta, epsilon, order) => {
    const result = computeEpsilon({ noiseMultiplier, samplingRate, rounds, delta });
    expect(Math.abs(result.epsilon - epsilon) / epsilon).toBeLessThan(1e-9);
    expect(result.order).toBeCloseTo(order, 12);
    expect(result.conversion).toBe('balle2020');
  });

  it('grows with the number of rounds and shrinks with the noise', () => {
    const at = (noiseMultiplier: number, rounds: number) =>
      computeEpsilon({ noiseMultiplier, samplingRate: 0.02, rounds, delta: 1e-5 }).epsilon;
    const byRounds = [1, 10, 100, 1000].map((rounds) => at(1, rounds));
    const byNoise = [0.6, 0.9, 1.5, 4].map((noise) => at(noise, 100));
    byRounds.slice(1).forEach((epsilon, k) => expect(epsilon).toBeGreaterThan(byRounds[k]!));
    byNoise.slice(1).forEach((epsilon, k) => expect(epsilon).toBeLessThan(byNoise[k]!));
  });

  it('is a sound and reasonably tight bound for the unsampled Gaussian', () => {
    // Exact privacy curve of the Gaussian mechanism with std s per unit sensitivity (Balle & Wang 2018, Theorem 8):
    // delta(eps) = Phi(1/(2s) - eps s) - e^eps Phi(-1/(2s) - eps s); T rounds compose to s = sigma / sqrt(T).
    const phi = (x: number) => erfc(-x / Math.SQRT2) / 2;
    const exactDelta = (eps: number, s: number) => phi(1 / (2 * s) - eps * s) - Math.exp(eps) * phi(-1 / (2 * s) - eps * s);
    for (const [sigma, rounds] of [[1, 1], [2, 10], [5, 10]] as const) {
      const s = sigma / Math.sqrt(rounds);
      const { epsilon } = computeEpsilon({ noiseMultiplier: sigma, samplingRate: 1, rounds, delta: 1e-5 });
      expect(exactDelta(epsilon, s)).toBeLessThanOrEqual(1e-5);
      expect(exactDelta(epsilon / 1.15, s)).toBeGreaterThan(1e-5);
    }
  });

  it('honours the classic conversion when asked', () => {
    const query = { noiseMultiplier: 1.1, samplingRate: 0.01, rounds: 1000, delta: 1e-5 };
    const classic = computeEpsilon({ ...query, conversion: 'mironov2017' });
    expect(classic.conversion).toBe('mironov2017');
    expect(classic.epsilon).toBeGreaterThan(computeEpsilon(query).epsilon);
  });

  it('rejects invalid parameters', () => {
    const valid = { noiseMultiplier: 1, samplingRate: 0.1, rounds: 10, delta: 1e-5 };
    expect(() => computeEpsilon({ ...valid, noiseMultiplier: 0 })).toThrow(/noiseMultiplier/);
    expect(() => computeEpsilon({ ...valid, samplingRate: 0 })).toThrow(/samplingRate/);
    expect(() => computeEpsilon({ ...valid, samplingRate: 1.01 })).toThrow(/samplingRate/);
    expect(() => computeEpsilon({ ...valid, rounds: 2.5 })).toThrow(/rounds/);
    expect(() => computeEpsilon({ ...valid, delta: 1 })).toThrow(/delta/);
  });
});

describe('findNoiseMultiplier', () => {
  const setting = { samplingRate: 0.01, rounds: 1000, delta: 1e-5 };

  it.each([0.5, 2, 8])('finds the smallest multiplier meeting epsilon %f to 1e-4 relative', (targetEpsilon) => {
    const { noiseMultiplier, epsilon } = findNoiseMultiplier({ targetEpsilon, ...setting });
    expect(epsilon).toBeLessThanOrEqual(targetEpsilon);
    expect(computeEpsilon({ noiseMultiplier, ...setting }).epsilon).toBe(epsilon);
    expect(computeEpsilon({ noiseMultiplier: noiseMultiplier * (1 - 1e-4), ...setting }).epsilon).toBeGreaterThan(targetEpsilon);
  });

  it('works below a noise multiplier of 1', () => {
    const { noiseMultiplier } = findNoiseMultiplier({ targetEpsilon: 50, samplingRate: 1, rounds: 1, delta: 1e-5 });
    expect(noiseMultiplier).toBeLessThan(1);
    expect(computeEpsilon({ noiseMultiplier: noiseMultiplier * (1 - 1e-4), samplingRate: 1, rounds: 1, delta: 1e-5 }).epsilon).toBeGreaterThan(50);
  });

  it('explains when the target cannot be met', () => {
    // The classic conversion cannot go below log(1/delta) / (512 - 1) ~ 0.0225 at the largest default order.
    expect(() =>
      findNoiseMultiplier({ targetEpsilon: 0.01, samplingRate: 1, rounds: 10, delta: 1e-5, conversion: 'mironov2017' }),
    ).toThrow(/unreachable/);
  });

  it('rejects a non-positive target', () => {
    expect(() => findNoiseMultiplier({ targetEpsilon: 0, ...setting })).toThrow(/targetEpsilon/);
  });
});
