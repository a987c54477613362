/** squared: mean (RMSE); absolute: median (MAE); logistic: log odds of a 0/1 label (log loss). */
export type GbdtLoss = 'squared' | 'absolute' | 'logistic';

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The constant raw score that minimises the loss. */
export function initialScore(loss: GbdtLoss, y: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) return 0;
  if (loss === 'absolute') return median(Array.from(y));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  if (loss === 'squared') return mean;
  const p = Math.min(1 - 1e-6, Math.max(1e-6, mean));
  return Math.log(p / (1 - p));
}

/** Gradient and hessian of the loss at each raw score (absolute: the sign, hessian 1). */
export function gradients(loss: GbdtLoss, y: ArrayLike<number>, raw: Float64Array, g: Float64Array, h: Float64Array): void {
  for (let i = 0; i < raw.length; i++) {
    if (loss === 'squared') {
      g[i] = raw[i]! - y[i]!;
      h[i] = 1;
    } else if (loss === 'absolute') {
      const d = raw[i]! - y[i]!;
      g[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
      h[i] = 1;
    } else {
      const p = sigmoid(raw[i]!);
      g[i] = p - y[i]!;
      h[i] = Math.max(p * (1 - p), 1e-12);
    }
  }
}

/** Mean loss of raw scores: squared error, absolute error or log loss. */
export function meanLoss(loss: GbdtLoss, y: ArrayLike<number>, raw: Float64Array): number {
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    if (loss === 'squared') s += (raw[i]! - y[i]!) ** 2;
    else if (loss === 'absolute') s += Math.abs(raw[i]! - y[i]!);
    else {
      const z = raw[i]!;
      s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
    }
  }
  return raw.length === 0 ? NaN : s / raw.length;
}
