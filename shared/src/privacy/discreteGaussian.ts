/**
 * Discrete Gaussian sampler of Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for
 * Differential Privacy": Algorithm 1 (Bernoulli(exp(-gamma))), Algorithm 2 (discrete Laplace)
 * and Algorithm 3 (discrete Gaussian by rejection from the discrete Laplace), in plain number
 * arithmetic (no BigInt). Integer steps (uniform integers, the geometric counts) are exact; the
 * Bernoulli(p) coin flips compare a 53-bit uniform double with p computed in floating point, so
 * the output law matches N_Z(0, sigma^2) up to double rounding of p (~1e-16 per flip) rather
 * than exactly as with the paper's rational arithmetic.
 */
import { requireFiniteNonNegative } from './checks.ts';
import { type RandomSource, secureRandom, uniform53, uniformInt } from './secureRandom.ts';

/** Output goes into an Int32Array; 2^24 keeps samples (|x| < 40 sigma with overwhelming probability) far inside it. */
export const MAX_DISCRETE_GAUSSIAN_SIGMA = 2 ** 24;

function bernoulli(p: number, random: RandomSource): boolean {
  return uniform53(random) < p;
}

/** Algorithm 1 for gamma in [0, 1]: K = number of successive Bernoulli(gamma / k) successes + 1; odd K has probability exp(-gamma). */
function bernoulliExpMinusAtMostOne(gamma: number, random: RandomSource): boolean {
  let k = 1;
  while (bernoulli(gamma / k, random)) k++;
  return k % 2 === 1;
}

/** Bernoulli(exp(-gamma)) for gamma >= 0: exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor(gamma))). */
export function bernoulliExpMinus(gamma: number, random: RandomSource = secureRandom): boolean {
  requireFiniteNonNegative('gamma', gamma);
  const whole = Math.floor(gamma);
  for (let i = 0; i < whole; i++) if (!bernoulliExpMinusAtMostOne(1, random)) return false;
  return bernoulliExpMinusAtMostOne(gamma - whole, random);
}

/** Algorithm 2: P(x) proportional to exp(-|x| / t) on the integers, for an integer scale t >= 1. */
export function discreteLaplace(t: number, random: RandomSource = secureRandom): number {
  if (!Number.isInteger(t) || t < 1 || t > 4_294_967_296) throw new RangeError(`discrete Laplace scale must be an integer in [1, 2^32], got ${t}`);
  for (;;) {
    const u = uniformInt(t, random);
    if (!bernoulliExpMinus(u / t, random)) continue;
    let v = 0;
    while (bernoulliExpMinus(1, random)) v++;
    const magnitude = u + t * v;
    const negative = (random.nextUint32() & 1) === 1;
    if (negative && magnitude === 0) continue;
    return negative ? -magnitude : magnitude;
  }
}

/** Algorithm 3: one sample with P(x) proportional to exp(-x^2 / (2 sigma^2)) on the integers. */
export function sampleDiscreteGaussian(sigma: number, random: RandomSource = secureRandom): number {
  requireFiniteNonNegative('sigma', sigma);
  if (sigma > MAX_DISCRETE_GAUSSIAN_SIGMA) throw new RangeError(`sigma must be <= 2^24, got ${sigma}`);
  if (sigma === 0) return 0;
  const t = Math.floor(sigma) + 1;
  const variance = sigma * sigma;
  for (;;) {
    const y = discreteLaplace(t, random);
    const excess = Math.abs(y) - variance / t;
    if (bernoulliExpMinus((excess * excess) / (2 * variance), random)) return y;
  }
}

/** `n` independent samples of the discrete Gaussian N_Z(0, sigma^2). */
export function discreteGaussian(n: number, sigma: number, random: RandomSource = secureRandom): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`sample count must be a non-negative integer, got ${n}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = sampleDiscreteGaussian(sigma, random);
  return out;
}
