/**
 * Continuous Gaussian noise from a CSPRNG (Box-Muller on 53-bit uniform doubles).
 *
 * Floating-point samplers only approximate the Gaussian (Mironov 2012, "On Significance of the
 * Least Significant Bits for Differential Privacy"); for an exact guarantee add `discreteGaussian`
 * noise to integer-encoded values instead.
 */
import { requireFiniteNonNegative } from './checks.ts';
import { type RandomSource, secureRandom, uniform53 } from './secureRandom.ts';

/** `n` independent N(0, sd^2) samples. */
export function gaussianNoise(n: number, sd: number, random: RandomSource = secureRandom): Float64Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`sample count must be a non-negative integer, got ${n}`);
  requireFiniteNonNegative('sd', sd);
  const out = new Float64Array(n);
  if (sd === 0) return out;
  for (let i = 0; i < n; i += 2) {
    const radius = sd * Math.sqrt(-2 * Math.log(1 - uniform53(random))); // 1 - u lies in (0, 1]
    const angle = 2 * Math.PI * uniform53(random);
    out[i] = radius * Math.cos(angle);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}
