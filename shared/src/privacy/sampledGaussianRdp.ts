/**
 * Rényi DP of the Sampled Gaussian Mechanism (Poisson subsampling with rate q, Gaussian noise with
 * standard deviation sigma times the L2 sensitivity).
 *
 * Mironov, Talwar, Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism":
 * RDP(alpha) = log(A_alpha) / (alpha - 1) with A_alpha = E_{z~mu0}[(mu(z)/mu0(z))^alpha],
 * mu0 = N(0, sigma^2), mu = (1 - q) N(0, sigma^2) + q N(1, sigma^2).
 * A port of TensorFlow Privacy's rdp_accountant.py (_compute_rdp, _compute_log_a_int,
 * _compute_log_a_frac), everything in log space.
 */
import { requireFiniteNonNegative, requirePositiveInteger } from './checks.ts';
import { logErfc } from './erfc.ts';
import { logAdd, logSub } from './logSpace.ts';

/** TF Privacy's DEFAULT_RDP_ORDERS: 1.1, 1.2, ..., 10.9, then 12..63, then 128, 256, 512. */
export const DEFAULT_RDP_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
  128,
  256,
  512,
]);

const LOG_HALF = Math.log(0.5);
const MAX_FRACTIONAL_TERMS = 1_000_000;

/** Section 3.3, integer alpha: A_alpha = sum_i C(alpha, i) q^i (1-q)^(alpha-i) exp((i^2 - i) / (2 sigma^2)). */
function logAInteger(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logA = -Infinity;
  let logBinom = 0;
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    const logCoef = logBinom + i * logQ + (alpha - i) * log1mQ;
    logA = logAdd(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/**
 * Section 3.3, fractional alpha: A_alpha split at z0 = sigma^2 log(1/q - 1) + 1/2 into two
 * alternating binomial series with erfc tails, summed until both terms fall below e^-30.
 */
function logAFractional(q: number, sigma: number, alpha: number): number {
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const sqrt2Sigma = Math.SQRT2 * sigma;
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  let logAbsBinom = 0;
  let binomPositive = true;
  for (let i = 0; i < MAX_FRACTIONAL_TERMS; i++) {
    if (i > 0) {
      const factor = alpha - i + 1;
      logAbsBinom += Math.log(Math.abs(factor)) - Math.log(i);
      if (factor < 0) binomPositive = !binomPositive;
    }
    const j = alpha - i;
    const logT0 = logAbsBinom + i * logQ + j * log1mQ;
    const logT1 = logAbsBinom + j * logQ + i * log1mQ;
    const logE0 = LOG_HALF + logErfc((i - z0) / sqrt2Sigma);
    const logE1 = LOG_HALF + logErfc((z0 - j) / sqrt2Sigma);
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (binomPositive) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) return logAdd(logA0, logA1);
    if (Number.isNaN(logA0) || Number.isNaN(logA1)) break;
  }
  throw new Error(`RDP series did not converge (q=${q}, sigma=${sigma}, alpha=${alpha})`);
}

/** RDP at order alpha of one step of the sampled Gaussian mechanism (q = sampling rate, sigma = noise multiplier). */
export function sampledGaussianRdp(q: number, sigma: number, alpha: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampling rate must be in [0, 1], got ${q}`);
  requireFiniteNonNegative('noise multiplier', sigma);
  if (!(alpha > 1)) throw new RangeError(`RDP order must be > 1, got ${alpha}`);
  if (q === 0) return 0;
  // Below ~1e-154 the exponent (i^2 - i) / (2 sigma^2) overflows: no finite guarantee in double precision.
  if (alpha === Infinity || !Number.isFinite(1 / (sigma * sigma))) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
  // A_alpha >= 1 exactly; rounding in the alternating fractional series can leave log(A_alpha) a hair below 0.
  return Math.max(0, logA) / (alpha - 1);
}

/** RDP at each order after `steps` compositions of the sampled Gaussian mechanism (RDP composes additively). */
export function computeRdp(
  q: number,
  sigma: number,
  steps: number,
  orders: readonly number[] = DEFAULT_RDP_ORDERS,
): number[] {
  requirePositiveInteger('steps', steps);
  return orders.map((alpha) => steps * sampledGaussianRdp(q, sigma, alpha));
}
