/** Features quantised to at most 255 bins each, row-major (row r, feature f at r * features + f). */
export interface BinnedMatrix {
  bins: Uint8Array;
  rows: number;
  features: number;
}

/** Per feature, ascending upper edges: a value v falls in the first bin b with v <= edges[b], else in the last. */
export type BinEdges = Float64Array[];

/**
 * Edges at quantiles of each feature's distinct values (of at most `sampleRows` evenly spaced rows),
 * like scikit-learn's HistGradientBoosting: a feature with fewer distinct values than bins gets one bin
 * per value.
 */
export function fitBinEdges(x: ArrayLike<number>, rows: number, features: number, maxBins = 64, sampleRows = 20_000): BinEdges {
  if (maxBins < 2 || maxBins > 255) throw new RangeError(`maxBins must be in [2, 255], got ${maxBins}`);
  const step = Math.max(1, Math.floor(rows / sampleRows));
  const edges: BinEdges = [];
  for (let f = 0; f < features; f++) {
    const values = new Float64Array(Math.ceil(rows / step));
    for (let r = 0, k = 0; r < rows; r += step, k++) values[k] = x[r * features + f]!;
    values.sort();
    const distinct = Array.from(values).filter((v, i) => i === 0 || v !== values[i - 1]);
    if (distinct.length <= maxBins) {
      edges.push(Float64Array.from(distinct.slice(0, -1), (v, i) => (v + distinct[i + 1]!) / 2));
      continue;
    }
    const cuts: number[] = [];
    for (let b = 1; b < maxBins; b++) {
      const q = values[Math.floor((b * values.length) / maxBins)]!;
      if (cuts.length === 0 || q > cuts[cuts.length - 1]!) cuts.push(q);
    }
    edges.push(Float64Array.from(cuts));
  }
  return edges;
}

export function applyBins(x: ArrayLike<number>, rows: number, edges: BinEdges): BinnedMatrix {
  const features = edges.length;
  const bins = new Uint8Array(rows * features);
  for (let f = 0; f < features; f++) {
    const e = edges[f]!;
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + f]!;
      let lo = 0;
      let hi = e.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v <= e[mid]!) hi = mid;
        else lo = mid + 1;
      }
      bins[r * features + f] = lo;
    }
  }
  return { bins, rows, features };
}

/** Number of bins of each feature (edges + 1). */
export function binCounts(edges: BinEdges): number[] {
  return edges.map((e) => e.length + 1);
}
