/**
 * The complementary error function and its logarithm, accurate to about 1e-13 relative
 * over the whole real line (JavaScript's Math has no erf).
 *
 * - |x| < SERIES_LIMIT: erf from the all-positive series
 *   erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_{n>=0} 2^n x^(2n+1) / (1*3*...*(2n+1))
 *   (Abramowitz & Stegun 7.1.6), which has no cancellation; erfc = 1 - erf.
 * - x >= SERIES_LIMIT: the Laplace continued fraction (A&S 7.1.14)
 *   erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
 *   evaluated with the modified Lentz algorithm; its log never underflows.
 * - x <= -SERIES_LIMIT: erfc(x) = 2 - erfc(-x).
 */

const SERIES_LIMIT = 1.5;
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const TINY = 1e-300;
const MAX_TERMS = 500;

/** erf(x) for x >= 0 (callers use erf(-x) = -erf(x)). */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** log of the continued fraction K(x) with erfc(x) = exp(-x^2)/sqrt(pi) * K(x), for x >= SERIES_LIMIT. */
function logContinuedFraction(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < MAX_TERMS; n++) {
    const a = n / 2;
    d = x + a * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = x + a / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -Math.log(f);
}

/** Natural log of erfc(x), finite for every finite x (no underflow for large x). */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return -Infinity;
  if (x >= SERIES_LIMIT) return -x * x - LOG_SQRT_PI + logContinuedFraction(x);
  if (x >= 0) return Math.log1p(-erfSeries(x));
  return Math.log(erfc(x));
}

/** erfc(x) = 1 - erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= SERIES_LIMIT) return Math.exp(logErfc(x));
  if (x <= -SERIES_LIMIT) return 2 - Math.exp(logErfc(-x));
  return x >= 0 ? 1 - erfSeries(x) : 1 + erfSeries(-x);
}
