/**
 * Rényi DP of a Gaussian sum over a fixed-size sample drawn without replacement: m of n clients, gamma = m / n.
 *
 * Wang, Balle, Kasiviswanathan 2019, "Subsampled Rényi Differential Privacy and Analytical Moments Accountant",
 * Theorem 9, for integer alpha >= 2, under the replace-one relation (n is public, one client's data is swapped):
 *   eps'(alpha) <= 1/(alpha-1) log(1 + gamma^2 C(alpha,2) min{4(e^{eps(2)} - 1), e^{eps(2)} min{2, (e^{eps(inf)} - 1)^2}}
 *                                   + sum_{j=3}^{alpha} gamma^j C(alpha,j) e^{(j-1) eps(j)} min{2, (e^{eps(inf)} - 1)^j}).
 * For the Gaussian eps(inf) = inf, so both inner minima are 2. Non-integer orders take the bound at ceil(alpha)
 * (RDP is non-decreasing in the order). Everything in log space.
 *
 * Sensitivity: replacing one client's clipped update (norm <= C) by another moves the sum by up to 2C, so a sum
 * with noise std z * C is a Gaussian mechanism of noise multiplier z / 2 under this relation: eps(j) = 2 j / z^2.
 * `fixedSizeGaussianRdp` takes the clip-relative z and applies that factor itself.
 */
import { requireFiniteNonNegative } from './checks.ts';
import { logAdd } from './logSpace.ts';

function logBinomial(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** WBK19 Theorem 9 for a base mechanism with RDP curve `base` (a function of the integer order j >= 2). */
export function subsampledWithoutReplacementRdp(gamma: number, alpha: number, base: (j: number) => number): number {
  if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`sampling fraction must be in [0, 1], got ${gamma}`);
  if (!(alpha >= 2)) throw new RangeError(`RDP order must be >= 2 here, got ${alpha}`);
  if (gamma === 0) return 0;
  const a = Math.ceil(alpha);
  if (!Number.isFinite(a)) return Infinity;
  const logGamma = Math.log(gamma);
  const eps2 = base(2);
  // min{4 (e^eps2 - 1), 2 e^eps2} in log space.
  const logSecond = Math.min(Math.log(4) + eps2 + Math.log(-Math.expm1(-eps2)), Math.log(2) + eps2);
  let logSum = 0; // log(1)
  logSum = logAdd(logSum, 2 * logGamma + logBinomial(a, 2) + logSecond);
  let logC = logBinomial(a, 2);
  for (let j = 3; j <= a; j++) {
    logC += Math.log(a - j + 1) - Math.log(j);
    logSum = logAdd(logSum, j * logGamma + logC + (j - 1) * base(j) + Math.LN2);
  }
  return logSum / (a - 1);
}

/** One round of DP-FedAvg with m of n clients drawn without replacement and noise std z x clip on the sum. */
export function fixedSizeGaussianRdp(gamma: number, noiseMultiplier: number, alpha: number): number {
  requireFiniteNonNegative('noise multiplier', noiseMultiplier);
  if (gamma === 0) return 0;
  if (noiseMultiplier === 0) return Infinity;
  const replaceOne = noiseMultiplier / 2;
  return subsampledWithoutReplacementRdp(gamma, Math.max(2, alpha), (j) => j / (2 * replaceOne * replaceOne));
}
