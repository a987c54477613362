import type { BinnedMatrix } from './binning.ts';

export interface TreeParams {
  maxDepth: number;
  minSamplesLeaf: number;
  /** L2 penalty on leaf values (lambda). */
  l2: number;
}

/** Nodes in arrays; a leaf has feature -1. Rows with bin <= threshold go left. */
export interface Tree {
  feature: Int32Array;
  threshold: Int32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

/** Per (feature, bin) at index 3 * (feature * stride + bin): gradient sum, hessian sum, row count. */
type Hist = Float64Array;

interface Pending {
  node: number;
  rows: Int32Array;
  hist: Hist;
  depth: number;
}


function histogram(m: BinnedMatrix, stride: number, rows: Int32Array, g: Float64Array, h: Float64Array): Hist {
  const p = m.features;
  const out: Hist = new Float64Array(3 * p * stride);
  const bins = m.bins;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const gr = g[r]!;
    const hr = h[r]!;
    const base = r * p;
    for (let f = 0; f < p; f++) {
      const j = 3 * (f * stride + bins[base + f]!);
      out[j]! += gr;
      out[j + 1]! += hr;
      out[j + 2]!++;
    }
  }
  return out;
}

/** parent - child, in place in `parent` (which is not needed afterwards). */
function subtractInto(parent: Hist, child: Hist): Hist {
  for (let i = 0; i < parent.length; i++) parent[i]! -= child[i]!;
  return parent;
}

/**
 * One regression tree on gradient statistics, grown level by level to maxDepth: each split maximises
 * G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2) over the histogram bins. Leaf values are the Newton
 * step -G/(H+l2) (the caller may replace them, e.g. by medians for the absolute loss). The smaller
 * child's histogram is built and the larger's is the parent's minus it.
 */
export function growTree(m: BinnedMatrix, binsPerFeature: readonly number[], rows: Int32Array, g: Float64Array, h: Float64Array, params: TreeParams): { tree: Tree; leafRows: Map<number, Int32Array> } {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    return feature.length - 1;
  };
  const leafRows = new Map<number, Int32Array>();
  const stride = Math.max(...binsPerFeature);
  const queue: Pending[] = [{ node: newNode(), rows, hist: histogram(m, stride, rows, g, h), depth: 0 }];
  const p = m.features;
  while (queue.length > 0) {
    const { node, rows: nodeRows, hist, depth } = queue.shift()!;
    let G = 0;
    let H = 0;
    for (let b = 0; b < binsPerFeature[0]!; b++) {
      G += hist[3 * b]!;
      H += hist[3 * b + 1]!;
    }
    value[node] = -G / (H + params.l2);
    if (depth >= params.maxDepth || nodeRows.length < 2 * params.minSamplesLeaf) {
      leafRows.set(node, nodeRows);
      continue;
    }
    const parentScore = (G * G) / (H + params.l2);
    let bestGain = 1e-12;
    let bestFeature = -1;
    let bestBin = -1;
    for (let f = 0; f < p; f++) {
      let gl = 0;
      let hl = 0;
      let cl = 0;
      const base = 3 * f * stride;
      for (let b = 0; b < binsPerFeature[f]! - 1; b++) {
        gl += hist[base + 3 * b]!;
        hl += hist[base + 3 * b + 1]!;
        cl += hist[base + 3 * b + 2]!;
        if (cl < params.minSamplesLeaf) continue;
        if (nodeRows.length - cl < params.minSamplesLeaf) break;
        const gr = G - gl;
        const hr = H - hl;
        const gain = (gl * gl) / (hl + params.l2) + (gr * gr) / (hr + params.l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) {
      leafRows.set(node, nodeRows);
      continue;
    }
    const goLeft: number[] = [];
    const goRight: number[] = [];
    for (let k = 0; k < nodeRows.length; k++) {
      const r = nodeRows[k]!;
      (m.bins[r * p + bestFeature]! <= bestBin ? goLeft : goRight).push(r);
    }
    const l = newNode();
    const rr = newNode();
    feature[node] = bestFeature;
    threshold[node] = bestBin;
    left[node] = l;
    right[node] = rr;
    const lRows = Int32Array.from(goLeft);
    const rRows = Int32Array.from(goRight);
    const small = lRows.length <= rRows.length ? lRows : rRows;
    const smallHist = histogram(m, stride, small, g, h);
    const bigHist = subtractInto(hist, smallHist);
    queue.push({ node: l, rows: lRows, hist: small === lRows ? smallHist : bigHist, depth: depth + 1 });
    queue.push({ node: rr, rows: rRows, hist: small === lRows ? bigHist : smallHist, depth: depth + 1 });
  }
  return {
    tree: { feature: Int32Array.from(feature), threshold: Int32Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) },
    leafRows,
  };
}

export function predictTree(t: Tree, m: BinnedMatrix, row: number): number {
  let node = 0;
  while (t.feature[node]! >= 0) node = m.bins[row * m.features + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
  return t.value[node]!;
}
