/** A plain L2-regularised logistic regression, trained by Newton's method on standardised features. */
export interface LogisticModel {
  featureCount: number;
  /** Weights on standardised features: x_std = (x - mean) / scale. */
  weights: Float64Array;
  bias: number;
  mean: Float64Array;
  scale: Float64Array;
}

export interface LogisticOptions {
  /** Penalty l2 / 2 * |w|^2 added to the mean log loss; the bias is not penalised. Default 1e-3. */
  l2?: number;
  maxIterations?: number;
  /** Stop when the largest Newton step is below this. */
  tolerance?: number;
}

/** `x` is row-major, `y.length` rows of `featureCount` values; every value must be finite. */
export function trainLogistic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  featureCount: number,
  options: LogisticOptions = {},
): LogisticModel {
  const n = y.length;
  const p = featureCount;
  if (x.length !== n * p) throw new RangeError(`x has ${x.length} values, expected ${n} rows x ${p} features`);
  if (n === 0) throw new RangeError('no training rows');
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`x[${i}] (row ${Math.floor(i / p)}, feature ${i % p}) is not finite`);
  }
  for (let i = 0; i < n; i++) if (y[i] !== 0 && y[i] !== 1) throw new RangeError(`y[${i}] must be 0 or 1`);

  const { mean, scale } = standardisation(x, n, p);
  const xs = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) xs[i * p + j] = (x[i * p + j]! - mean[j]!) / scale[j]!;

  const l2 = options.l2 ?? 1e-3;
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-7;
  // theta = [w_0 .. w_{p-1}, bias]
  const q = p + 1;
  let theta = new Float64Array(q);
  let objective = penalisedLoss(xs, y, theta, p, l2);
  for (let iter = 0; iter < maxIterations; iter++) {
    const grad = new Float64Array(q);
    const hess = new Float64Array(q * q);
    const row = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) row[j] = xs[i * p + j]!;
      row[p] = 1;
      const prob = sigmoid(dot(row, theta));
      const r = prob - y[i]!;
      const w = prob * (1 - prob);
      for (let a = 0; a < q; a++) {
        grad[a]! += r * row[a]!;
        const wa = w * row[a]!;
        for (let b = 0; b <= a; b++) hess[a * q + b]! += wa * row[b]!;
      }
    }
    for (let a = 0; a < q; a++) {
      grad[a] = grad[a]! / n + (a < p ? l2 * theta[a]! : 0);
      for (let b = 0; b <= a; b++) {
        const h = hess[a * q + b]! / n + (a === b ? (a < p ? l2 : 0) + 1e-10 : 0);
        hess[a * q + b] = h;
        hess[b * q + a] = h;
      }
    }
    const step = solveSymmetric(hess, grad, q);
    let t = 1;
    let next = theta;
    let nextObjective = Infinity;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      next = theta.map((v, a) => v - t * step[a]!);
      nextObjective = penalisedLoss(xs, y, next, p, l2);
      if (nextObjective <= objective + 1e-12) break;
    }
    const largestStep = t * Math.max(...Array.from(step, Math.abs));
    theta = next;
    objective = nextObjective;
    if (largestStep < tolerance) break;
  }
  return { featureCount: p, weights: theta.slice(0, p), bias: theta[p]!, mean, scale };
}

/** Predicted probabilities for the rows of `x`. */
export function predictLogistic(model: LogisticModel, x: ArrayLike<number>): Float64Array {
  const p = model.featureCount;
  if (x.length % p !== 0) throw new RangeError(`x has ${x.length} values, not a multiple of ${p} features`);
  const out = new Float64Array(x.length / p);
  for (let i = 0; i < out.length; i++) {
    let z = model.bias;
    for (let j = 0; j < p; j++) z += model.weights[j]! * ((x[i * p + j]! - model.mean[j]!) / model.scale[j]!);
    out[i] = sigmoid(z);
  }
  return out;
}

function standardisation(x: ArrayLike<number>, n: number, p: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j]! += x[i * p + j]!;
  for (let j = 0; j < p; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scale[j]! += (x[i * p + j]! - mean[j]!) ** 2;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scale[j]! / n);
    if (sd > 1e-9 * (Math.abs(mean[j]!) + 1)) scale[j] = sd;
    else {
      // A constant feature standardises to exactly 0 (so its weight stays 0) instead of to rounding noise.
      mean[j] = x[j]!;
      scale[j] = 1;
    }
  }
  return { mean, scale };
}

function penalisedLoss(xs: Float64Array, y: ArrayLike<number>, theta: Float64Array, p: number, l2: number): number {
  const n = y.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    let z = theta[p]!;
    for (let j = 0; j < p; j++) z += theta[j]! * xs[i * p + j]!;
    // log(1 + e^z) - y z, computed without overflow
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i]! * z;
  }
  let penalty = 0;
  for (let j = 0; j < p; j++) penalty += theta[j]! ** 2;
  return loss / n + (l2 / 2) * penalty;
}

/** Solves A s = b for a symmetric positive-definite A (q x q, row-major) by Cholesky. */
function solveSymmetric(a: Float64Array, b: Float64Array, q: number): Float64Array {
  const l = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * q + j]!;
      for (let k = 0; k < j; k++) s -= l[i * q + k]! * l[j * q + k]!;
      l[i * q + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * q + j]!;
    }
  }
  const z = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * q + k]! * z[k]!;
    z[i] = s / l[i * q + i]!;
  }
  const out = new Float64Array(q);
  for (let i = q - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < q; k++) s -= l[k * q + i]! * out[k]!;
    out[i] = s / l[i * q + i]!;
  }
  return out;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
