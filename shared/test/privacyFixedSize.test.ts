import { describe, expect, it } from 'vitest';
import {
  computeEpsilon,
  ddgExcessRdp,
  discreteGaussianSumTau,
  fixedSizeGaussianRdp,
  ledgerEpsilon,
  sampledGaussianRdp,
  subsampledWithoutReplacementRdp,
} from '../src/privacy/index.ts';

const gaussian = (z: number) => (j: number) => j / (2 * z * z);

describe('fixed-size sampling without replacement (Wang, Balle, Kasiviswanathan 2019, Theorem 9)', () => {
  it('order 2 is the closed form log(1 + gamma^2 min{4 (e^eps2 - 1), 2 e^eps2})', () => {
    for (const [gamma, z] of [[0.05, 1], [0.3, 0.7], [0.01, 3]] as const) {
      const eps2 = 2 / (2 * z * z);
      const expected = Math.log(1 + gamma * gamma * Math.min(4 * Math.expm1(eps2), 2 * Math.exp(eps2)));
      expect(subsampledWithoutReplacementRdp(gamma, 2, gaussian(z))).toBeCloseTo(expected, 12);
    }
  });

  it('order 3 adds the j = 3 term: a hand computation', () => {
    const gamma = 0.1;
    const z = 1.5;
    const e = gaussian(z);
    const second = 3 * Math.min(4 * Math.expm1(e(2)), 2 * Math.exp(e(2)));
    const third = 1 * Math.exp(2 * e(3)) * 2;
    expect(subsampledWithoutReplacementRdp(gamma, 3, e)).toBeCloseTo(Math.log(1 + gamma ** 2 * second + gamma ** 3 * third) / 2, 12);
  });

  it('small sampling fractions: the bound approaches its leading gamma^2 term', () => {
    const z = 2;
    const alpha = 8;
    const e2 = gaussian(z)(2);
    const leading = (28 * Math.min(4 * Math.expm1(e2), 2 * Math.exp(e2))) / (alpha - 1);
    const gamma = 1e-4;
    expect(subsampledWithoutReplacementRdp(gamma, alpha, gaussian(z)) / (gamma * gamma * leading)).toBeCloseTo(1, 2);
  });

  it('with everyone sampled the bound is no smaller than the plain Gaussian (it must bound the unsampled mechanism)', () => {
    for (const z of [0.5, 1, 4]) {
      for (const alpha of [2, 5, 32]) expect(subsampledWithoutReplacementRdp(1, alpha, gaussian(z))).toBeGreaterThanOrEqual(gaussian(z)(alpha) - 1e-12);
    }
  });

  it('is monotone: more sampling, less noise or a higher order never lowers it; non-integer orders take the next integer', () => {
    let previous = 0;
    for (const gamma of [0.001, 0.01, 0.05, 0.2, 0.6, 1]) {
      const v = fixedSizeGaussianRdp(gamma, 1, 10);
      expect(v).toBeGreaterThan(previous);
      previous = v;
    }
    expect(fixedSizeGaussianRdp(0.05, 0.8, 10)).toBeGreaterThan(fixedSizeGaussianRdp(0.05, 1.6, 10));
    expect(fixedSizeGaussianRdp(0.05, 1, 20)).toBeGreaterThan(fixedSizeGaussianRdp(0.05, 1, 10));
    expect(fixedSizeGaussianRdp(0.05, 1, 4.3)).toBe(fixedSizeGaussianRdp(0.05, 1, 5));
  });

  it('charges the replace-one sensitivity 2 x clip: at gamma = 1 with many orders it exceeds the add/remove Gaussian 4-fold', () => {
    // Without sampling, replace-one with noise z x C is the Gaussian of multiplier z / 2: RDP 4 alpha / (2 z^2).
    expect(fixedSizeGaussianRdp(1, 2, 2)).toBeGreaterThanOrEqual((4 * 2) / (2 * 4));
    expect(sampledGaussianRdp(1, 2, 2)).toBeCloseTo(2 / (2 * 4), 12);
  });

  it('gives a finite, honest epsilon where the issue measured Poisson: z = 1, 100 rounds, 7 of 200 and 7 of 20', () => {
    const poissonBig = computeEpsilon({ noiseMultiplier: 1, samplingRate: 7 / 200, rounds: 100, delta: 1e-5 }).epsilon;
    const poissonSmall = computeEpsilon({ noiseMultiplier: 1, samplingRate: 7 / 20, rounds: 100, delta: 1e-5 }).epsilon;
    expect(poissonBig).toBeCloseTo(2.91, 2);
    expect(poissonSmall).toBeCloseTo(28.9, 1);
    const wor = computeEpsilon({ noiseMultiplier: 1, samplingRate: 7 / 200, rounds: 100, delta: 1e-5, sampling: 'fixed-size' }).epsilon;
    console.log(`z = 1, 100 rounds, 7 of 200, delta 1e-5: Poisson (add/remove) eps ${poissonBig.toFixed(3)}, fixed-size (replace-one) eps ${wor.toFixed(3)}`);
    expect(Number.isFinite(wor)).toBe(true);
    expect(wor).toBeGreaterThan(poissonBig);
    expect(computeEpsilon({ noiseMultiplier: 1, samplingRate: 7 / 20, rounds: 100, delta: 1e-5, sampling: 'fixed-size' }).epsilon).toBeGreaterThan(wor);
  });

  it('the ledger composes fixed-size entries like computeEpsilon does', () => {
    const entry = { samplingRate: 0.05, noiseMultiplier: 1.2, steps: 30, sampling: 'fixed-size' as const };
    const viaLedger = ledgerEpsilon({ taskId: 't', entries: [entry] }, 1e-5).epsilon;
    const direct = computeEpsilon({ noiseMultiplier: 1.2, samplingRate: 0.05, rounds: 30, delta: 1e-5, sampling: 'fixed-size' }).epsilon;
    expect(viaLedger).toBeCloseTo(direct, 10);
    const poisson = ledgerEpsilon({ taskId: 't', entries: [{ ...entry, sampling: 'poisson' }] }, 1e-5).epsilon;
    expect(poisson).not.toBeCloseTo(viaLedger, 3);
  });
});

describe('distributed discrete Gaussian correction (Kairouz, Liu, Steinke 2021)', () => {
  it('is min{tau d, alpha/2 (2 tau sqrt(d) / z + tau^2 d)} and vanishes with tau', () => {
    expect(ddgExcessRdp(4, 1, { tau: 0, dimension: 100 })).toBe(0);
    const tau = 1e-3;
    expect(ddgExcessRdp(4, 2, { tau, dimension: 100 })).toBeCloseTo(Math.min(tau * 100, 2 * ((2 * tau * 10) / 2 + tau * tau * 100)), 15);
    expect(ddgExcessRdp(1000, 2, { tau, dimension: 100 })).toBeCloseTo(tau * 100, 15);
  });

  it('raises epsilon in the ledger when sigma is small, and is negligible at the sigmas the coordinator uses', () => {
    const entry = { samplingRate: 0.1, noiseMultiplier: 1, steps: 10 };
    const plain = ledgerEpsilon({ taskId: 't', entries: [entry] }, 1e-5).epsilon;
    const tauSmall = discreteGaussianSumTau(0.6, 50);
    expect(tauSmall).toBeGreaterThan(1e-3);
    const corrected = ledgerEpsilon({ taskId: 't', entries: [{ ...entry, ddg: { tau: tauSmall, dimension: 1000 } }] }, 1e-5).epsilon;
    expect(corrected).toBeGreaterThan(plain * 1.5);
    const tauLarge = discreteGaussianSumTau(50, 50);
    expect(tauLarge).toBe(0);
    expect(ledgerEpsilon({ taskId: 't', entries: [{ ...entry, ddg: { tau: tauLarge, dimension: 1000 } }] }, 1e-5).epsilon).toBe(plain);
  });
});
