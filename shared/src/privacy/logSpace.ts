/** Arithmetic on numbers held as their natural logarithms; -Infinity stands for 0. */

/** log(exp(logX) + exp(logY)). */
export function logAdd(logX: number, logY: number): number {
  const a = Math.min(logX, logY);
  const b = Math.max(logX, logY);
  if (a === -Infinity) return b;
  return Math.log1p(Math.exp(a - b)) + b;
}

/** log(exp(logX) - exp(logY)); throws when the difference would be negative. */
export function logSub(logX: number, logY: number): number {
  if (logX < logY) throw new RangeError('logSub: the result of the subtraction must be non-negative');
  if (logY === -Infinity) return logX;
  if (logX === logY) return -Infinity;
  const diff = logX - logY;
  // expm1 overflows once exp(diff) does; then exp(logY) is negligible next to exp(logX).
  if (diff > 700) return logX;
  return Math.log(Math.expm1(diff)) + logY;
}
