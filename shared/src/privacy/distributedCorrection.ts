/**
 * The distributed discrete Gaussian's correction (Kairouz, Liu, Steinke 2021, Proposition 14): the sum of n clients'
 * N_Z(0, sigma^2) noise is not exactly a discrete Gaussian, and the mechanism with L2 sensitivity D2, L1 sensitivity
 * D1 <= sqrt(d) D2 in d dimensions satisfies, at every order alpha,
 *   RDP(alpha) <= min{ alpha D2^2 / (2 n sigma^2) + tau d,  alpha/2 (D2 / (sqrt(n) sigma) + tau sqrt(d))^2 },
 * tau = 10 sum_{k=1}^{n-1} exp(-2 pi^2 sigma^2 k / (k + 1)) (discreteGaussianSumTau). With z = sqrt(n) sigma / D2 the
 * first term is the Gaussian's alpha / (2 z^2); `ddgExcessRdp` is what the bound adds to it.
 *
 * How it is charged (ledger.ts): in full, every round, on top of the subsampled Gaussian's RDP; the correction is not
 * amplified by sampling. For the sigmas used in practice (hundreds of integer units) tau underflows to 0 and the
 * charge vanishes; it matters for sigma near 1.
 */
import { requireFiniteNonNegative, requireFinitePositive, requirePositiveInteger } from './checks.ts';

export interface DdgCorrection {
  /** KLS21 tau for the round's clients and per-client sigma. */
  tau: number;
  /** Dimension d of the noised vector. */
  dimension: number;
}

export function ddgExcessRdp(alpha: number, noiseMultiplier: number, c: DdgCorrection): number {
  requireFinitePositive('noiseMultiplier', noiseMultiplier);
  requireFiniteNonNegative('tau', c.tau);
  requirePositiveInteger('dimension', c.dimension);
  if (c.tau === 0) return 0;
  const d = c.dimension;
  const first = c.tau * d;
  const second = (alpha / 2) * ((2 * c.tau * Math.sqrt(d)) / noiseMultiplier + c.tau * c.tau * d);
  return Math.min(first, second);
}
