/**
 * Fixed residual buckets of the median step (absolute loss): a day's residual y - f (label minus score, in the
 * target's units, readiness points) falls in bucket k = the number of inner edges <= it. A slot's median is read
 * from its bucket counts by linear interpolation, the outer buckets taken to end at +-RESIDUAL_OUTER. Edges sit
 * at 0 (the sign the Newton step already used) and a quarter point either side, on the readiness scale, not on a
 * dataset (docs/models.md has the validation figures, other edges included).
 */
export const RESIDUAL_EDGES: readonly number[] = [-0.25, 0, 0.25];
export const RESIDUAL_OUTER = 2;
export const RESIDUAL_BUCKETS = RESIDUAL_EDGES.length + 1;

export function residualBucket(r: number): number {
  let k = 0;
  while (k < RESIDUAL_EDGES.length && r >= RESIDUAL_EDGES[k]!) k++;
  return k;
}

/**
 * Every bucket gets this share of the slot's total as a pseudo-count, so the median is a continuous function of the
 * counts (an even split across an empty bucket would otherwise jump from one edge to the next).
 */
const PSEUDO_COUNT = 0.01;

/**
 * Weighted median of one slot from its bucket counts `counts[at + k * stride]` (negative counts, from DP noise,
 * read as 0); 0 when the slot is empty.
 */
export function bucketMedian(counts: ArrayLike<number>, at: number, stride: number): number {
  let observed = 0;
  for (let k = 0; k < RESIDUAL_BUCKETS; k++) observed += Math.max(0, counts[at + k * stride]!);
  if (!(observed > 0)) return 0;
  const prior = PSEUDO_COUNT * observed;
  const total = observed + RESIDUAL_BUCKETS * prior;
  let below = 0;
  for (let k = 0; k < RESIDUAL_BUCKETS; k++) {
    const c = Math.max(0, counts[at + k * stride]!) + prior;
    if (below + c >= total / 2) {
      const lo = k === 0 ? -RESIDUAL_OUTER : RESIDUAL_EDGES[k - 1]!;
      const hi = k === RESIDUAL_BUCKETS - 1 ? RESIDUAL_OUTER : RESIDUAL_EDGES[k]!;
      return lo + ((total / 2 - below) / c) * (hi - lo);
    }
    below += c;
  }
  return 0;
}
