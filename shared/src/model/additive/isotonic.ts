/**
 * Weighted isotonic regression by pool-adjacent-violators: overwrites values[from..from+n) with the non-decreasing
 * (direction +1) or non-increasing (-1) sequence closest to it in weighted least squares. Each pooled block takes
 * its weighted mean, so the weighted sum of the values is preserved. Weights must be positive.
 */
export function isotonicInPlace(values: Float32Array | Float64Array, weights: ArrayLike<number>, from: number, n: number, direction: 1 | -1): void {
  if (n < 2) return;
  const level = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let blocks = 0;
  for (let i = 0; i < n; i++) {
    let v = direction * values[from + i]!;
    let w = weights[i]!;
    let s = 1;
    while (blocks > 0 && level[blocks - 1]! > v) {
      const pw = weight[blocks - 1]!;
      v = (level[blocks - 1]! * pw + v * w) / (pw + w);
      w += pw;
      s += size[blocks - 1]!;
      blocks--;
    }
    level[blocks] = v;
    weight[blocks] = w;
    size[blocks] = s;
    blocks++;
  }
  let at = from;
  for (let k = 0; k < blocks; k++) for (let i = 0; i < size[k]!; i++) values[at++] = direction * level[k]!;
}
