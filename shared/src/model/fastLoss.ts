/** Probabilities are clipped to [eps, 1 - eps] in every loss (kernels, tfjs reference, evaluation). */
export const BCE_EPSILON = 1e-7;

const P_MIN = Math.fround(BCE_EPSILON);
const P_MAX = Math.fround(1 - BCE_EPSILON);

/**
 * Mean BCE of predictions at `pAt` ([rows, units]) against targets at `yAt` ([rows]), probabilities clipped
 * to [eps, 1 - eps]. Writes dLoss/dp to `dAt` along tfjs's chain: log gradients, zero where clipped.
 */
export function bceLossGrad(m: Float32Array, pAt: number, yAt: number, dAt: number, rows: number, units: number): number {
  const n = rows * units;
  const g = Math.fround(-1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const raw = m[pAt + i]!;
    const t = m[yAt + (units === 1 ? i : Math.floor(i / units))]!;
    const p = raw < P_MIN ? P_MIN : raw > P_MAX ? P_MAX : raw;
    const q = Math.fround(1 - p);
    // For a 0/1 label one term is 0 * log(finite): the same sum with one logarithm.
    sum += t === 0 ? Math.log(q) : t === 1 ? Math.log(p) : t * Math.log(p) + (1 - t) * Math.log(q);
    m[dAt + i] = raw >= P_MIN && raw <= P_MAX ? Math.fround(g * t) / p - Math.fround(g * (1 - t)) / q : 0;
  }
  return -sum / n;
}

/** Mean squared error; writes dLoss/dp = 2 (p - y) / n to `dAt`. */
export function mseLossGrad(m: Float32Array, pAt: number, yAt: number, dAt: number, rows: number, units: number): number {
  const n = rows * units;
  const g = Math.fround(1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const diff = Math.fround(m[pAt + i]! - m[yAt + (units === 1 ? i : Math.floor(i / units))]!);
    sum += diff * diff;
    m[dAt + i] = g * Math.fround(diff * 2);
  }
  return sum / n;
}
