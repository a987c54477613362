import { ACT_RELU, ACT_SIGMOID } from './fastNet.ts';

/**
 * Dense-layer kernels on one Float32Array `m`; every argument named *At is a float offset into it.
 * Sums accumulate in float64 and round once to float32, as the tfjs cpu matMul does.
 */
export interface FastKernels {
  /** z[r, j] = act(a[r, :] . w[:, j] + b[j]) */
  forward(aAt: number, wAt: number, bAt: number, zAt: number, rows: number, nin: number, nout: number, act: number): void;
  /** gw[k, j] = sum_r a[r, k] d[r, j];  gb[j] = sum_r d[r, j] */
  gradWeights(aAt: number, dAt: number, gwAt: number, gbAt: number, rows: number, nin: number, nout: number): void;
  /** da[r, k] = (d[r, :] . w[k, :]) * act'(a[r, k]), where a is the layer input (previous activation). */
  backInput(dAt: number, wAt: number, aAt: number, daAt: number, rows: number, nin: number, nout: number, act: number): void;
  /** d *= act'(a) elementwise over n values, a being the activation output. */
  activationGrad(dAt: number, aAt: number, n: number, act: number): void;
  /** g += mu (w - anchor); w -= lr g. Returns sum (w - anchor)^2 before the step (0 when mu = 0). */
  update(wAt: number, gAt: number, anchorAt: number, n: number, learningRate: number, mu: number): number;
  /**
   * dst[r, :] = x[order[r], :] and dstY[r] = y[order[r]] / scale for r < rows; `order` holds uint32 row indices in the
   * same buffer (the float offset orderAt).
   */
  gather(xAt: number, orderAt: number, yAt: number, dstAt: number, dstYAt: number, rows: number, nin: number, scale: number): void;
}

const fround = Math.fround;

function activate(z: number, act: number): number {
  if (act === ACT_RELU) return z > 0 ? z : 0;
  if (act === ACT_SIGMOID) return 1 / (1 + Math.exp(-z));
  return z;
}

function activationSlope(a: number, act: number): number {
  if (act === ACT_RELU) return a > 0 ? 1 : 0;
  if (act === ACT_SIGMOID) return fround(a * fround(1 - a));
  return 1;
}

export function jsKernels(m: Float32Array): FastKernels {
  const index = new Uint32Array(m.buffer, m.byteOffset, m.length);
  return {
    forward(aAt, wAt, bAt, zAt, rows, nin, nout, act) {
      for (let r = 0; r < rows; r++) {
        const ar = aAt + r * nin;
        const zr = zAt + r * nout;
        let j = 0;
        for (; j + 4 <= nout; j += 4) {
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let k = 0, w = wAt + j; k < nin; k++, w += nout) {
            const a = m[ar + k]!;
            s0 += a * m[w]!;
            s1 += a * m[w + 1]!;
            s2 += a * m[w + 2]!;
            s3 += a * m[w + 3]!;
          }
          m[zr + j] = activate(fround(fround(s0) + m[bAt + j]!), act);
          m[zr + j + 1] = activate(fround(fround(s1) + m[bAt + j + 1]!), act);
          m[zr + j + 2] = activate(fround(fround(s2) + m[bAt + j + 2]!), act);
          m[zr + j + 3] = activate(fround(fround(s3) + m[bAt + j + 3]!), act);
        }
        for (; j < nout; j++) {
          let s = 0;
          for (let k = 0, w = wAt + j; k < nin; k++, w += nout) s += m[ar + k]! * m[w]!;
          m[zr + j] = activate(fround(fround(s) + m[bAt + j]!), act);
        }
      }
    },

    gradWeights(aAt, dAt, gwAt, gbAt, rows, nin, nout) {
      for (let k = 0; k < nin; k++) {
        const gk = gwAt + k * nout;
        let j = 0;
        for (; j + 4 <= nout; j += 4) {
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          for (let r = 0, a = aAt + k, d = dAt + j; r < rows; r++, a += nin, d += nout) {
            const x = m[a]!;
            s0 += x * m[d]!;
            s1 += x * m[d + 1]!;
            s2 += x * m[d + 2]!;
            s3 += x * m[d + 3]!;
          }
          m[gk + j] = s0;
          m[gk + j + 1] = s1;
          m[gk + j + 2] = s2;
          m[gk + j + 3] = s3;
        }
        for (; j < nout; j++) {
          let s = 0;
          for (let r = 0, a = aAt + k, d = dAt + j; r < rows; r++, a += nin, d += nout) s += m[a]! * m[d]!;
          m[gk + j] = s;
        }
      }
      for (let j = 0; j < nout; j++) {
        let s = 0;
        for (let r = 0, d = dAt + j; r < rows; r++, d += nout) s += m[d]!;
        m[gbAt + j] = s;
      }
    },

    backInput(dAt, wAt, aAt, daAt, rows, nin, nout, act) {
      for (let r = 0; r < rows; r++) {
        const dr = dAt + r * nout;
        for (let k = 0; k < nin; k++) {
          const a = m[aAt + r * nin + k]!;
          if (act === ACT_RELU && !(a > 0)) {
            m[daAt + r * nin + k] = 0;
            continue;
          }
          const wk = wAt + k * nout;
          let s = 0;
          for (let j = 0; j < nout; j++) s += m[dr + j]! * m[wk + j]!;
          m[daAt + r * nin + k] = fround(s) * activationSlope(a, act);
        }
      }
    },

    activationGrad(dAt, aAt, n, act) {
      for (let i = 0; i < n; i++) m[dAt + i] = m[dAt + i]! * activationSlope(m[aAt + i]!, act);
    },

    update(wAt, gAt, anchorAt, n, learningRate, mu) {
      const step = fround(-learningRate);
      let prox = 0;
      if (mu > 0) {
        const halfMu = fround(mu / 2);
        for (let i = 0; i < n; i++) {
          const diff = fround(m[wAt + i]! - m[anchorAt + i]!);
          prox += diff * diff;
          const g = fround(m[gAt + i]! + fround(halfMu * fround(2 * diff)));
          m[wAt + i] = m[wAt + i]! + fround(step * g);
        }
      } else {
        for (let i = 0; i < n; i++) m[wAt + i] = m[wAt + i]! + fround(step * m[gAt + i]!);
      }
      return prox;
    },

    gather(xAt, orderAt, yAt, dstAt, dstYAt, rows, nin, scale) {
      for (let r = 0; r < rows; r++) {
        const row = index[orderAt + r]!;
        for (let k = 0, src = xAt + row * nin, dst = dstAt + r * nin; k < nin; k++) m[dst + k] = m[src + k]!;
        m[dstYAt + r] = m[yAt + row]! / scale;
      }
    },
  };
}
