import { describe, expect, it } from 'vitest';
import { computeRdp, epsilonFromRdp } from '../src/privacy/index.ts';

const range = (from: number, to: number, step = 1): number[] =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, k) => from + k * step);

describe('epsilonFromRdp against TensorFlow Privacy rdp_accountant_test.py', () => {
  it('constant RDP 1.1 over orders 2..32 at delta 1e-5 gives 1.32783806176 at order 32 (balle2020)', () => {
    const orders = range(2, 32);
    const result = epsilonFromRdp(orders, orders.map(() => 1.1), 1e-5);
    expect(result.epsilon).toBeCloseTo(1.32783806176, 10);
    expect(result.order).toBe(32);
    expect(result.conversion).toBe('balle2020');
  });

  it('Gaussian with sigma 4.530877117 is (1, 1e-6)-DP over a fine grid of orders (balle2020)', () => {
    const orders = range(1001, 99999).map((k) => k / 1000);
    const result = epsilonFromRdp(orders, computeRdp(1, 4.530877117, 1, orders), 1e-6);
    expect(result.epsilon).toBeCloseTo(1, 7);
  });

  it('mixed composition gives 8.509656 at order 2.5 under the classic conversion (mironov2017)', () => {
    // TF Privacy's test_check_composition; the old conversion's figure is kept there as an upper bound.
    const orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
    const first = computeRdp(1e-4, 0.4, 40000, orders);
    const second = computeRdp(0.1, 2, 100, orders);
    const total = first.map((value, k) => value + second[k]!);
    const classic = epsilonFromRdp(orders, total, 1e-5, 'mironov2017');
    expect(classic.epsilon).toBeCloseTo(8.509656, 6);
    expect(classic.order).toBe(2.5);
    expect(epsilonFromRdp(orders, total, 1e-5, 'balle2020').epsilon).toBeLessThanOrEqual(8.509656);
  });
});

describe('closed form for the unsampled Gaussian under the classic conversion', () => {
  // With q = 1, RDP(alpha) = T alpha / (2 sigma^2), so eps(alpha) = T alpha / (2 sigma^2) + log(1/delta) / (alpha - 1)
  // is minimised at alpha* = 1 + sigma sqrt(2 log(1/delta) / T), where
  // eps* = T / (2 sigma^2) + sqrt(2 T log(1/delta)) / sigma. Choose sigma so that alpha* = 5.
  const rounds = 10;
  const delta = 1e-5;
  const logInverseDelta = Math.log(1 / delta);
  const sigma = 4 / Math.sqrt((2 * logInverseDelta) / rounds);
  const closedForm = rounds / (2 * sigma * sigma) + Math.sqrt(2 * rounds * logInverseDelta) / sigma;

  it('hits the analytic optimum when alpha* is one of the orders', () => {
    const orders = [2, 3, 4, 5, 6, 8];
    const result = epsilonFromRdp(orders, computeRdp(1, sigma, rounds, orders), delta, 'mironov2017');
    expect(result.order).toBe(5);
    expect(result.epsilon).toBeCloseTo(closedForm, 12);
  });

  it('approaches it from above on a fine grid', () => {
    const orders = range(1001, 20000).map((k) => k / 1000 + 0.0005);
    const result = epsilonFromRdp(orders, computeRdp(1, sigma, rounds, orders), delta, 'mironov2017');
    expect(result.epsilon).toBeGreaterThanOrEqual(closedForm);
    expect(result.epsilon - closedForm).toBeLessThan(1e-6);
  });
});

describe('conversion properties', () => {
  it('balle2020 is never worse than mironov2017', () => {
    for (const [q, sigma, steps] of [[0.01, 1, 1000], [0.5, 0.8, 10], [1, 3, 5]] as const) {
      const orders = range(2, 64);
      const rdp = computeRdp(q, sigma, steps, orders);
      expect(epsilonFromRdp(orders, rdp, 1e-5).epsilon).toBeLessThanOrEqual(epsilonFromRdp(orders, rdp, 1e-5, 'mironov2017').epsilon);
    }
  });

  it('reports 0 when the KL bound alone already gives delta', () => {
    expect(epsilonFromRdp([2, 3], [1e-12, 1e-12], 1e-3).epsilon).toBe(0);
  });

  it('rejects malformed input', () => {
    expect(() => epsilonFromRdp([2, 3], [0.1], 1e-5)).toThrow(/equal length/);
    expect(() => epsilonFromRdp([2], [0.1], 0)).toThrow(/delta/);
    expect(() => epsilonFromRdp([2], [0.1], 1)).toThrow(/delta/);
    expect(() => epsilonFromRdp([2], [-0.1], 1e-5)).toThrow(/>= 0/);
    expect(() => epsilonFromRdp([1], [0.1], 1e-5)).toThrow(/order/);
    expect(() => epsilonFromRdp([2], [0.1], 1e-5, 'renyi' as never)).toThrow(/conversion/);
  });
});
