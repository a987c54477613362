import type { BinnedMatrix } from './binning.ts';

export interface TreeParams {
  /** Most leaves per tree; leaves are split best-gain first (leaf-wise, as LightGBM and scikit-learn). */
  maxLeafNodes: number;
  /** Deepest split level (Infinity: only maxLeafNodes limits the tree). */
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

/** A leaf that may still be split, with its best split (feature -1: none). */
interface Candidate {
  node: number;
  rows: Int32Array;
  hist: Hist;
  depth: number;
  gain: number;
  feature: number;
  bin: number;
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

/** Gradient and hessian sums of a node (from its first feature's bins). */
function totals(hist: Hist, bins: number): { G: number; H: number } {
  let G = 0;
  let H = 0;
  for (let b = 0; b < bins; b++) {
    G += hist[3 * b]!;
    H += hist[3 * b + 1]!;
  }
  return { G, H };
}

/** The split maximising G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2), both sides at least minSamplesLeaf rows. */
function bestSplit(hist: Hist, stride: number, binsPerFeature: readonly number[], n: number, params: TreeParams): { gain: number; feature: number; bin: number } {
  const { G, H } = totals(hist, binsPerFeature[0]!);
  const parentScore = (G * G) / (H + params.l2);
  let best = { gain: 1e-12, feature: -1, bin: -1 };
  for (let f = 0; f < binsPerFeature.length; f++) {
    let gl = 0;
    let hl = 0;
    let cl = 0;
    const base = 3 * f * stride;
    for (let b = 0; b < binsPerFeature[f]! - 1; b++) {
      gl += hist[base + 3 * b]!;
      hl += hist[base + 3 * b + 1]!;
      cl += hist[base + 3 * b + 2]!;
      if (cl < params.minSamplesLeaf) continue;
      if (n - cl < params.minSamplesLeaf) break;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + params.l2) + (gr * gr) / (H - hl + params.l2) - parentScore;
      if (gain > best.gain) best = { gain, feature: f, bin: b };
    }
  }
  return best;
}

/**
 * One regression tree on gradient statistics over histogram bins, grown best-first: the leaf whose best
 * split gains most is split next, until maxLeafNodes leaves (or no leaf can be split). Leaf values are
 * the Newton step -G/(H+l2) (the caller may replace them, e.g. by medians for the absolute loss). The
 * smaller child's histogram is built and the larger's is the parent's minus it.
 */
export function growTree(m: BinnedMatrix, binsPerFeature: readonly number[], rows: Int32Array, g: Float64Array, h: Float64Array, params: TreeParams): { tree: Tree; leafRows: Map<number, Int32Array> } {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const stride = Math.max(...binsPerFeature);
  const p = m.features;
  const leaves: Candidate[] = [];
  const addLeaf = (nodeRows: Int32Array, hist: Hist, depth: number): number => {
    const node = feature.length;
    const { G, H } = totals(hist, binsPerFeature[0]!);
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(-G / (H + params.l2));
    const splittable = depth < params.maxDepth && nodeRows.length >= 2 * params.minSamplesLeaf;
    const split = splittable ? bestSplit(hist, stride, binsPerFeature, nodeRows.length, params) : { gain: 0, feature: -1, bin: -1 };
    leaves.push({ node, rows: nodeRows, hist, depth, ...split });
    return node;
  };
  addLeaf(rows, histogram(m, stride, rows, g, h), 0);
  while (leaves.length < params.maxLeafNodes) {
    let k = -1;
    for (let i = 0; i < leaves.length; i++) if (leaves[i]!.feature >= 0 && (k < 0 || leaves[i]!.gain > leaves[k]!.gain)) k = i;
    if (k < 0) break;
    const c = leaves.splice(k, 1)[0]!;
    const goLeft: number[] = [];
    const goRight: number[] = [];
    for (let i = 0; i < c.rows.length; i++) {
      const r = c.rows[i]!;
      (m.bins[r * p + c.feature]! <= c.bin ? goLeft : goRight).push(r);
    }
    const lRows = Int32Array.from(goLeft);
    const rRows = Int32Array.from(goRight);
    const smallIsLeft = lRows.length <= rRows.length;
    const smallHist = histogram(m, stride, smallIsLeft ? lRows : rRows, g, h);
    const bigHist = subtractInto(c.hist, smallHist);
    feature[c.node] = c.feature;
    threshold[c.node] = c.bin;
    left[c.node] = addLeaf(lRows, smallIsLeft ? smallHist : bigHist, c.depth + 1);
    right[c.node] = addLeaf(rRows, smallIsLeft ? bigHist : smallHist, c.depth + 1);
  }
  return {
    tree: { feature: Int32Array.from(feature), threshold: Int32Array.from(threshold), left: Int32Array.from(left), right: Int32Array.from(right), value: Float64Array.from(value) },
    leafRows: new Map(leaves.map((c) => [c.node, c.rows])),
  };
}

export function predictTree(t: Tree, m: BinnedMatrix, row: number): number {
  let node = 0;
  while (t.feature[node]! >= 0) node = m.bins[row * m.features + t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
  return t.value[node]!;
}
