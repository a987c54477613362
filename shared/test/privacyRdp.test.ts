import { describe, expect, it } from 'vitest';
import { computeRdp, DEFAULT_RDP_ORDERS, sampledGaussianRdp } from '../src/privacy/index.ts';

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

/**
 * A published value must match to 1e-4 relative, except that a value printed with fewer digits than
 * that (0.00065, 0.001085) can only be held to half a unit of its last printed digit.
 */
function expectPublished(actual: number, printed: string): void {
  const value = Number(printed);
  const decimals = printed.split('.')[1]?.length ?? 0;
  const tolerance = Math.max(1e-4 * Math.abs(value), 0.5 * 10 ** -decimals);
  expect(Math.abs(actual - value)).toBeLessThanOrEqual(tolerance);
}

describe('computeRdp against TensorFlow Privacy rdp_accountant_test.py', () => {
  it('q = 0.1, sigma = 2, 10 steps, order 5 gives 0.07737', () => {
    expectPublished(computeRdp(0.1, 2, 10, [5])[0]!, '0.07737');
  });

  it('q = 0.01, sigma = 2.5, 50 steps at orders 1.5, 2.5, 5, 50, 100', () => {
    const rdp = computeRdp(0.01, 2.5, 50, [1.5, 2.5, 5, 50, 100, Infinity]);
    ['0.00065', '0.001085', '0.00218075', '0.023846', '167.416307'].forEach((printed, k) => expectPublished(rdp[k]!, printed));
    expect(rdp[5]).toBe(Infinity);
  });

  it('q = 1 is the plain Gaussian: sigma = 10, order 20 gives 0.1', () => {
    expect(computeRdp(1, 10, 1, [20])[0]).toBeCloseTo(0.1, 15);
  });

  it('q = 0 costs nothing', () => {
    expect(computeRdp(0, 10, 1, [20])).toEqual([0]);
  });
});

describe('log(A_alpha) against multi-precision numerical integration', () => {
  // Parameters of TF Privacy's test_compute_log_a_equals_mp plus a few mid-range ones. Reference:
  // log of the integral of N(0, s^2)(z) * ((1-q) + q exp((2z-1)/(2 s^2)))^alpha computed with mpmath
  // quad at 40 digits (cross-checked against the exact binomial sum for integer alpha).
  const cases: [q: number, sigma: number, alpha: number, logA: number][] = [
    [1e-7, 0.1, 1.01, 4.0034123225263986e-8],
    [1e-6, 0.1, 256, 3260463.2292971608],
    [1e-5, 0.1, 256.1, 3263607.0397884213],
    [1e-6, 1, 27, 8.7695113048484979e-10],
    [1e-4, 1, 1.5, 6.4426869538366497e-9],
    [1e-3, 1, 2, 1.7182803522145154e-6],
    [0.01, 10, 20, 0.00019129699912842963],
    [0.1, 100, 20.5, 0.00019991818458068296],
    [0.99, 0.1, 256, 3263997.4271140211],
    [0.999, 100, 256.1, 3.2601080379731127],
    [0.05, 0.8, 3.7, 0.1012641132125519],
    [0.3, 1.2, 7.5, 8.1055990422243506],
    [0.02, 1.1, 12, 7.6706278207084854],
  ];

  it.each(cases)('q=%f sigma=%f alpha=%f', (q, sigma, alpha, logA) => {
    // TF Privacy asserts rtol 1e-4; the two alpha ~ 1 cases lose digits to cancellation but stay under 1e-6.
    expectRelative(sampledGaussianRdp(q, sigma, alpha) * (alpha - 1), logA, 1e-6);
  });
});

describe('RDP properties', () => {
  it('composes linearly in the number of steps', () => {
    const one = computeRdp(0.05, 1.3, 1);
    const many = computeRdp(0.05, 1.3, 37);
    many.forEach((value, k) => expectRelative(value, 37 * one[k]!, 1e-12));
  });

  it('decreases with more noise and increases with the sampling rate at every order', () => {
    const base = computeRdp(0.05, 1.0, 1);
    const noisier = computeRdp(0.05, 1.5, 1);
    const denser = computeRdp(0.1, 1.0, 1);
    base.forEach((value, k) => {
      expect(noisier[k]!).toBeLessThan(value);
      expect(denser[k]!).toBeGreaterThan(value);
    });
  });

  it('never exceeds the unsampled Gaussian alpha / (2 sigma^2)', () => {
    const sampled = computeRdp(0.3, 0.9, 1);
    DEFAULT_RDP_ORDERS.forEach((alpha, k) => expect(sampled[k]!).toBeLessThanOrEqual(alpha / (2 * 0.81)));
  });

  it('uses TF Privacy default orders', () => {
    expect(DEFAULT_RDP_ORDERS).toHaveLength(99 + 52 + 3);
    expect(DEFAULT_RDP_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1 + 3 / 10]);
    expect(DEFAULT_RDP_ORDERS[98]).toBeCloseTo(10.9, 12);
    expect(DEFAULT_RDP_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(DEFAULT_RDP_ORDERS.slice(-4)).toEqual([63, 128, 256, 512]);
  });

  it('gives no finite guarantee when the noise is too small for double precision', () => {
    expect(computeRdp(0.5, 1e-200, 1, [1.5, 2])).toEqual([Infinity, Infinity]);
    expect(computeRdp(0.5, 0, 1, [2])).toEqual([Infinity]);
  });

  it('rejects invalid arguments', () => {
    expect(() => computeRdp(1.5, 1, 1)).toThrow(RangeError);
    expect(() => computeRdp(0.1, -1, 1)).toThrow(RangeError);
    expect(() => computeRdp(0.1, 1, 0)).toThrow(RangeError);
    expect(() => computeRdp(0.1, 1, 1, [1])).toThrow(/order/);
  });
});
