import type { AdditiveLayout } from '../additive/layout.ts';

/** A node's histogram: per slot (the additive layout's, slot 0 the node's totals) gradient and hessian sums. */
export interface NodeHistogram {
  g: Float64Array;
  h: Float64Array;
}

export interface SplitChoice {
  feature: number;
  /** Last histogram bin (1-based within the feature; 0 is the missing slot) that goes left. */
  bin: number;
  missingLeft: boolean;
  left: { g: number; h: number; value: number };
  right: { g: number; h: number; value: number };
  gain: number;
}

export interface SplitRules {
  /** L2 on a leaf value, in hessian mass. */
  lambda: number;
  /** Least hessian mass either child may hold. */
  minChild: number;
  /** Per feature +1 / -1 / 0: the direction the prediction must follow (see feature-directions.ts). */
  directions: Int8Array;
}

/** The L2-shrunk Newton value of a leaf, clamped to the node's monotone bounds. */
export function leafValue(g: number, h: number, lambda: number, lower: number, upper: number): number {
  const w = h + lambda > 0 ? -g / (h + lambda) : 0;
  return Math.min(upper, Math.max(lower, w));
}

/** The loss a leaf value w removes from a node with sums (g, h), to second order. */
function gainOf(g: number, h: number, w: number, lambda: number): number {
  return -(g * w + 0.5 * (h + lambda) * w * w);
}

/**
 * The best split of one node over every feature's fixed bins, or null when none gains: thresholds between adjacent
 * bins, the missing slot tried on either side, each child at least `minChild` of mass. A split on a constrained
 * feature is kept only if its children's values follow the feature's direction (the days above the threshold on
 * the side the direction allows), which with the bounds passed down (see childBounds) makes every tree monotone.
 */
export function bestSplit(layout: AdditiveLayout, hist: NodeHistogram, rules: SplitRules, lower: number, upper: number): SplitChoice | null {
  const { g, h } = hist;
  const G = g[0]!;
  const H = Math.max(0, h[0]!);
  const parent = gainOf(G, H, leafValue(G, H, rules.lambda, lower, upper), rules.lambda);
  let best: SplitChoice | null = null;
  for (let j = 0; j < layout.features; j++) {
    if (layout.absorbed[j]) continue;
    const from = layout.offset[j]!;
    const count = layout.bins[j]!;
    const gm = g[from]!;
    const hm = Math.max(0, h[from]!);
    let gn = 0;
    let hn = 0;
    for (let b = 1; b < count; b++) {
      gn += g[from + b]!;
      hn += Math.max(0, h[from + b]!);
    }
    let gl = 0;
    let hl = 0;
    for (let b = 1; b < count - 1; b++) {
      gl += g[from + b]!;
      hl += Math.max(0, h[from + b]!);
      for (const missingLeft of hm > 0 ? [true, false] : [false]) {
        const lg = gl + (missingLeft ? gm : 0);
        const lh = hl + (missingLeft ? hm : 0);
        const rg = gn - gl + (missingLeft ? 0 : gm);
        const rh = hn - hl + (missingLeft ? 0 : hm);
        if (lh < rules.minChild || rh < rules.minChild) continue;
        const lv = leafValue(lg, lh, rules.lambda, lower, upper);
        const rv = leafValue(rg, rh, rules.lambda, lower, upper);
        const d = rules.directions[j]!;
        if (d !== 0 && d * (rv - lv) < 0) continue;
        const gain = gainOf(lg, lh, lv, rules.lambda) + gainOf(rg, rh, rv, rules.lambda) - parent;
        if (gain > 1e-12 && (!best || gain > best.gain)) {
          best = { feature: j, bin: b, missingLeft, left: { g: lg, h: lh, value: lv }, right: { g: rg, h: rh, value: rv }, gain };
        }
      }
    }
  }
  return best;
}

/** Bounds of the two children: a split on a constrained feature puts the midpoint of its values between them. */
export function childBounds(split: SplitChoice, direction: number, lower: number, upper: number): { left: [number, number]; right: [number, number] } {
  if (direction === 0) return { left: [lower, upper], right: [lower, upper] };
  const mid = 0.5 * (split.left.value + split.right.value);
  return direction > 0
    ? { left: [lower, Math.min(upper, mid)], right: [Math.max(lower, mid), upper] }
    : { left: [Math.max(lower, mid), upper], right: [lower, Math.min(upper, mid)] };
}
