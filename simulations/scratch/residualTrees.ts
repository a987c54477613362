// Scratch: level-wise histogram trees on the residuals of a fitted additive model, one federated round per tree level.
// Round d of a tree: each picked client routes its days through the levels already split, and sends per node and
// slot [G, H] of the loss at (base + trees so far); the server splits every node of level d on the summed histogram
// (for the last level the chosen split's two sides give the leaves' sums, so a depth-D tree costs D rounds).
import { additiveLayout } from '../../shared/src/model/additive/layout.ts';

export interface Rows { slots: Int32Array; y: Float64Array; n: number }
/** l2: pseudo-days in every leaf's mean; minShare: each side's least share of the round's days at the node's level. */
export interface TreeOpts { trees: number; depth: number; lr: number; l2: number; minShare: number; loss: string; delta: number }
/** Internal node (feature >= 0): ordered bins 1..thr go left, the missing slot goes left when missLeft. Leaf: value. */
interface Node { feature: number; thr: number; missLeft: boolean; value: number }
/** Complete binary tree in heap order: node i's children are 2i + 1 and 2i + 2. */
export type Tree = Node[];

const layout = additiveLayout();
const F = layout.features, size = layout.size;

function goesLeft(n: Node, slot: number, j: number): boolean {
  const bin = slot - layout.offset[j]!;
  return bin === 0 ? n.missLeft : bin <= n.thr;
}
/** Heap index of the node the day reaches (a leaf, or the first node not yet split). */
function nodeOf(t: Tree, c: Rows, r: number): number {
  let i = 0;
  while (t[i] && t[i]!.feature >= 0) { const n = t[i]!; i = goesLeft(n, c.slots[r * F + n.feature]!, n.feature) ? 2 * i + 1 : 2 * i + 2; }
  return i;
}
export function treeValue(t: Tree, c: Rows, r: number): number { return t[nodeOf(t, c, r)]?.value ?? 0; }

function grad(o: TreeOpts, res: number): number {
  if (o.loss === 'lad') return Math.sign(res);
  return o.loss === 'huber' ? Math.max(-o.delta, Math.min(o.delta, res)) : res;
}
function median(l: number[]): number { l.sort((a, b) => a - b); const m = l.length >> 1; return l.length % 2 ? l[m]! : 0.5 * (l[m - 1]! + l[m]!); }

interface Split { gain: number; feature: number; thr: number; missLeft: boolean; gl: number; hl: number; gr: number; hr: number }
/** Best split of one node's histogram (h[0..size) gradients, h[size..2 size) hessians), or null. */
function bestSplit(o: TreeOpts, h: Float64Array, total: number): Split | null {
  const G = h[0]!, H = h[size]!;
  if (H <= 0) return null;
  const score = (g: number, w: number) => (g * g) / (w + o.l2);
  let best: Split | null = null;
  for (let j = 0; j < F; j++) {
    if (layout.absorbed[j]) continue;
    const from = layout.offset[j]!, count = layout.bins[j]!;
    const gm = h[from]!, hm = h[size + from]!;
    let gl = 0, hl = 0;
    for (let t = 1; t < count - 1; t++) {
      gl += h[from + t]!; hl += h[size + from + t]!;
      for (const missLeft of hm > 0 ? [true, false] : [false]) {
        const a = gl + (missLeft ? gm : 0), b = hl + (missLeft ? hm : 0);
        if (b < o.minShare * total || H - b < o.minShare * total) continue;
        const gain = score(a, b) + score(G - a, H - b) - score(G, H);
        if (!best || gain > best.gain) best = { gain, feature: j, thr: t, missLeft, gl: a, hl: b, gr: G - a, hr: H - b };
      }
    }
  }
  return best && best.gain > 0 ? best : null;
}

/**
 * Fits o.trees trees, o.depth rounds each. pick() returns the round's clients (indexes into rows/base), base[i] their
 * base predictions (the served additive model). Returns the trees and the rounds used.
 */
export function fitTrees(o: TreeOpts, rows: Rows[], base: Float64Array[], pick: () => number[]): { trees: Tree[]; rounds: number } {
  const trees: Tree[] = [];
  const pred = base.map((b) => b.slice());
  let rounds = 0;
  for (let k = 0; k < o.trees; k++) {
    const t: Tree = [];
    for (let d = 0; d < o.depth; d++) {
      rounds++;
      const first = 2 ** d - 1, width = 2 ** d;
      const hist = Array.from({ length: width }, () => new Float64Array(2 * size));
      let total = 0;
      const picked = pick();
      for (const i of picked) {
        const c = rows[i]!;
        for (let r = 0; r < c.n; r++) {
          const node = nodeOf(t, c, r);
          if (node < first) continue; // reached a leaf above this level
          const h = hist[node - first]!, g = grad(o, pred[i]![r]! - c.y[r]!);
          total++;
          h[0]! += g; h[size]! += 1;
          for (let j = 0; j < F; j++) { if (layout.absorbed[j]) continue; const s = c.slots[r * F + j]!; h[s]! += g; h[size + s]! += 1; }
        }
      }
      const leaf = (g: number, w: number): Node => ({ feature: -1, thr: 0, missLeft: false, value: w > 0 ? (-o.lr * g) / (w + o.l2) : 0 });
      for (let q = 0; q < width; q++) {
        const at = first + q;
        if (t[at] || (at > 0 && !t[(at - 1) >> 1]) || (at > 0 && t[(at - 1) >> 1]!.feature < 0)) continue; // parent is a leaf
        const h = hist[q]!;
        const s = bestSplit(o, h, total);
        if (!s) { t[at] = leaf(h[0]!, h[size]!); continue; }
        t[at] = { feature: s.feature, thr: s.thr, missLeft: s.missLeft, value: 0 };
        if (d === o.depth - 1) { t[2 * at + 1] = leaf(s.gl, s.hl); t[2 * at + 2] = leaf(s.gr, s.hr); }
      }
      // LAD-TreeBoost leaves: lr x the median residual of the round's days in each new leaf (exact: an upper bound of a bucketed median)
      if (o.loss === 'lad') {
        const lists = new Map<number, number[]>();
        t.forEach((n, i) => { if (n && n.feature < 0 && i >= first) lists.set(i, []); });
        for (const i of picked) { const c = rows[i]!; for (let r = 0; r < c.n; r++) lists.get(nodeOf(t, c, r))?.push(c.y[r]! - pred[i]![r]!); }
        for (const [i, l] of lists) t[i]!.value = l.length ? (o.lr * median(l) * l.length) / (l.length + o.l2) : 0;
      }
    }
    trees.push(t);
    rows.forEach((c, i) => { for (let r = 0; r < c.n; r++) pred[i]![r]! += treeValue(t, c, r); });
  }
  return { trees, rounds };
}
