import { weightManifest, type ModelSpec } from '@huddle/shared/model';

/**
 * The ModelSpec network's output for n feature rows, in label units: the same maths as the tfjs model
 * the client SDK predicts with (dense layers, kernel [in, out] row-major, then bias), without building
 * a tfjs model for every athlete.
 */
export function predict(spec: ModelSpec, weights: Float32Array, x: Float32Array, n: number): Float32Array {
  const manifest = weightManifest(spec);
  const out = new Float32Array(n);
  let width = 0;
  for (const e of manifest) width = Math.max(width, e.shape[e.shape.length - 1]!);
  let a = new Float64Array(Math.max(width, spec.inputSize));
  let b = new Float64Array(a.length);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < spec.inputSize; i++) a[i] = x[r * spec.inputSize + i]!;
    let fanIn = spec.inputSize;
    let offset = 0;
    for (const layer of spec.layers) {
      const units = layer.units;
      const bias = offset + fanIn * units;
      for (let j = 0; j < units; j++) b[j] = weights[bias + j]!;
      for (let i = 0; i < fanIn; i++) {
        const ai = a[i]!;
        if (ai === 0) continue;
        const row = offset + i * units;
        for (let j = 0; j < units; j++) b[j]! += ai * weights[row + j]!;
      }
      for (let j = 0; j < units; j++) b[j] = activate(layer.activation, b[j]!);
      [a, b] = [b, a];
      offset = bias + units;
      fanIn = units;
    }
    out[r] = a[0]! * spec.labelScale;
  }
  return out;
}

function activate(kind: ModelSpec['layers'][number]['activation'], v: number): number {
  switch (kind) {
    case 'relu':
      return v > 0 ? v : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'linear':
      return v;
  }
}
