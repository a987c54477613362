import { describe, expect, it } from 'vitest';
import { Prng } from '../src/random/index.ts';
import {
  type AdaptiveClipState,
  clientClipBit,
  createAdaptiveClipState,
  noiseCenteredBitSum,
  updateClipBound,
  updateNoiseMultiplier,
} from '../src/privacy/index.ts';

const state: AdaptiveClipState = { clipBound: 1, targetQuantile: 0.5, learningRate: 0.2, bitNoiseStd: 5 };

describe('adaptive clipping (Andrew et al. 2021)', () => {
  it('reports 1 for updates within the bound', () => {
    expect(clientClipBit(0.5, 1)).toBe(1);
    expect(clientClipBit(1, 1)).toBe(1);
    expect(clientClipBit(1.01, 1)).toBe(0);
  });

  it('applies the geometric update C * exp(-eta (b_bar - gamma)) to centred bit sums', () => {
    const m = 100;
    // 80 of 100 clients unclipped: centred sum = 80 * 0.5 - 20 * 0.5 = 30, b_bar = 0.8.
    expect(updateClipBound(state, 30, m).clipBound).toBeCloseTo(Math.exp(-0.2 * (0.8 - 0.5)), 14);
    // Exactly on target: no move.
    expect(updateClipBound(state, 0, m).clipBound).toBe(1);
    // 20 of 100 unclipped: b_bar = 0.2, the bound grows.
    expect(updateClipBound(state, -30, m).clipBound).toBeCloseTo(Math.exp(0.2 * 0.3), 14);
  });

  it('clamps the noisy fraction to [0, 1]', () => {
    expect(updateClipBound(state, 1e6, 100).clipBound).toBeCloseTo(Math.exp(-0.2 * 0.5), 14);
    expect(updateClipBound(state, -1e6, 100).clipBound).toBeCloseTo(Math.exp(0.2 * 0.5), 14);
  });

  it('converges to the target quantile of the update norms', () => {
    const norms = Array.from({ length: 100 }, (_, i) => (i + 1) / 10); // quantiles 0.1 .. 10
    const random = new Prng('adaptive-clipping');
    let current = createAdaptiveClipState({ ...state, targetQuantile: 0.3 });
    for (let r = 0; r < 300; r++) {
      const bits = norms.map((norm) => clientClipBit(norm, current.clipBound));
      current = updateClipBound(current, noiseCenteredBitSum(bits, 100 / 20, random), 100);
    }
    expect(current.clipBound).toBeGreaterThan(2);
    expect(current.clipBound).toBeLessThan(4);
  });

  it('sums centred bits and adds noise of the requested size', () => {
    const bits = [1, 1, 1, 0];
    const draws = Array.from({ length: 4000 }, () => noiseCenteredBitSum(bits, 2));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
    expect(Math.abs(mean - 1)).toBeLessThan((6 * 2) / Math.sqrt(draws.length));
    expect(Math.abs(variance - 4)).toBeLessThan(6 * 4 * Math.sqrt(2 / draws.length));
    expect(() => noiseCenteredBitSum([1, 2], 1)).toThrow(/0 or 1/);
  });

  it('validates the state', () => {
    expect(() => createAdaptiveClipState({ ...state, clipBound: 0 })).toThrow(/clipBound/);
    expect(() => createAdaptiveClipState({ ...state, targetQuantile: 1.5 })).toThrow(/targetQuantile/);
    expect(() => createAdaptiveClipState({ ...state, bitNoiseStd: 0 })).toThrow(/bitNoiseStd/);
    expect(() => updateClipBound(state, NaN, 10)).toThrow(/noisedBitSum/);
  });
});

describe('updateNoiseMultiplier (Theorem 1)', () => {
  it('raises the update noise so both queries together match noise multiplier z', () => {
    const z = 1.1;
    const sigmaB = 5;
    const zDelta = updateNoiseMultiplier(z, sigmaB);
    expect(zDelta).toBeCloseTo((z ** -2 - (2 * sigmaB) ** -2) ** -0.5, 14);
    expect(zDelta).toBeGreaterThan(z);
    expect(zDelta ** -2 + (2 * sigmaB) ** -2).toBeCloseTo(z ** -2, 14);
  });

  it('refuses a bit noise too small to fit in the budget', () => {
    expect(() => updateNoiseMultiplier(2, 1)).toThrow(/too small/);
    expect(() => updateNoiseMultiplier(2, 0.9)).toThrow(/too small/);
  });
});
