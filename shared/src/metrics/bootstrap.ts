import { Prng } from '../random/prng.ts';

/**
 * Cluster (athlete) bootstrap: each resample draws as many clusters as there are, uniformly with
 * replacement, and gives every row of a cluster drawn k times the weight k. Days of one athlete are
 * not independent, so resampling days would understate the spread; resampling athletes does not.
 */
export interface ClusterBootstrapOptions {
  /** Default 1000. */
  resamples?: number;
  /** Default 1. The same seed and clusters give the same resamples, so statistics share them (paired). */
  seed?: number;
}

/**
 * A statistic of the rows given each row's weight (all 1 for the estimate itself); `clusterCounts[c]`
 * is the weight of every row of cluster c, for statistics that can be computed from per-cluster sums.
 */
export type WeightedStatistic = (rowWeights: Float64Array, clusterCounts: Float64Array) => number;

export interface BootstrapDraws {
  /** Each statistic on the data itself. */
  estimates: number[];
  /** draws[s][b]: statistic s on resample b (NaN where it is undefined on that resample). */
  draws: Float64Array[];
}

/** `offsets`: cluster c owns rows offsets[c] .. offsets[c + 1] - 1. Every statistic sees every resample. */
export function clusterBootstrap(offsets: readonly number[], statistics: readonly WeightedStatistic[], options: ClusterBootstrapOptions = {}): BootstrapDraws {
  const resamples = options.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  const clusters = offsets.length - 1;
  if (clusters < 1) throw new RangeError('the bootstrap needs at least one cluster');
  for (let c = 0; c < clusters; c++) {
    if (!(offsets[c + 1]! >= offsets[c]!)) throw new RangeError(`offsets must be non-decreasing (cluster ${c})`);
  }
  const rows = offsets[clusters]! - offsets[0]!;
  const weights = new Float64Array(rows).fill(1);
  const estimates = statistics.map((s) => s(weights, new Float64Array(clusters).fill(1)));
  const draws = statistics.map(() => new Float64Array(resamples));
  const prng = new Prng(options.seed ?? 1);
  const counts = new Float64Array(clusters);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let k = 0; k < clusters; k++) counts[prng.int(clusters)]!++;
    for (let c = 0; c < clusters; c++) weights.fill(counts[c]!, offsets[c]! - offsets[0]!, offsets[c + 1]! - offsets[0]!);
    for (let s = 0; s < statistics.length; s++) draws[s]![b] = statistics[s]!(weights, counts);
  }
  return { estimates, draws };
}

export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Percentile interval of the defined (finite) draws, linear interpolation between order statistics.
 * NaN bounds when fewer than half the draws are defined: the statistic is then undefined too often to
 * have a meaningful interval.
 */
export function percentileInterval(draws: ArrayLike<number>, level = 0.95): Interval {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const finite = Array.from(draws).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0 || finite.length * 2 < draws.length) return { lo: NaN, hi: NaN };
  return { lo: quantile(finite, (1 - level) / 2), hi: quantile(finite, 1 - (1 - level) / 2) };
}

/** Draw-by-draw a - b: the paired difference of two statistics bootstrapped on the same resamples. */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new RangeError(`paired draws differ in length (${a.length} vs ${b.length})`);
  return Float64Array.from({ length: a.length }, (_, i) => a[i]! - b[i]!);
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}
