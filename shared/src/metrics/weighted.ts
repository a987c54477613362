import { LOG_LOSS_EPS } from './logLoss.ts';

/**
 * Metrics of weighted samples, for the bootstrap: with whole-number weights each equals the plain metric
 * on the data with row i repeated weights[i] times (a resample), without building that data. The
 * ranking metrics take a Ranking prepared once, so a resample costs O(n), not a sort.
 */
export interface Ranking {
  /** Row indices by ascending score. */
  order: Int32Array;
  /** For position k of `order`, the position just past its run of tied scores. */
  runEnd: Int32Array;
}

export function rankingOf(scores: ArrayLike<number>): Ranking {
  const n = scores.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const runEnd = new Int32Array(n);
  let k = 0;
  while (k < n) {
    let j = k + 1;
    while (j < n && scores[order[j]!] === scores[order[k]!]) j++;
    runEnd.fill(j, k, j);
    k = j;
  }
  return { order, runEnd };
}

/** Weighted Mann-Whitney AUC (ties count 0.5). NaN when either class has zero weight. */
export function weightedRocAuc(r: Ranking, labels: ArrayLike<number>, weights: ArrayLike<number>): number {
  const n = r.order.length;
  let negativesBelow = 0;
  let positives = 0;
  let wins = 0;
  for (let k = 0; k < n; k = r.runEnd[k]!) {
    let pos = 0;
    let neg = 0;
    for (let j = k; j < r.runEnd[k]!; j++) {
      const i = r.order[j]!;
      if (labels[i] === 1) pos += weights[i]!;
      else neg += weights[i]!;
    }
    wins += pos * (negativesBelow + 0.5 * neg);
    negativesBelow += neg;
    positives += pos;
  }
  return positives === 0 || negativesBelow === 0 ? NaN : wins / (positives * negativesBelow);
}

/** Weighted average precision (scikit-learn's definition, tied scores one threshold). NaN without both classes. */
export function weightedAveragePrecision(r: Ranking, labels: ArrayLike<number>, weights: ArrayLike<number>): number {
  const n = r.order.length;
  let positives = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += weights[i]!;
    if (labels[i] === 1) positives += weights[i]!;
  }
  if (positives === 0 || positives === total) return NaN;
  let truePositives = 0;
  let predicted = 0;
  let ap = 0;
  // Runs from the highest score down: walk `order` backwards run by run.
  let end = n;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && r.runEnd[start - 1] === end) start--;
    let pos = 0;
    let all = 0;
    for (let j = start; j < end; j++) {
      const i = r.order[j]!;
      all += weights[i]!;
      if (labels[i] === 1) pos += weights[i]!;
    }
    truePositives += pos;
    predicted += all;
    if (pos > 0) ap += (pos / positives) * (truePositives / predicted);
    end = start;
  }
  return ap;
}

/**
 * Expected calibration error over `bins` quantile bins (calibrationTable's rule: a run of tied
 * predictions stays in the bin of its first member): sum over bins of weight share x |mean predicted - observed rate|.
 */
export function weightedCalibrationError(r: Ranking, probs: ArrayLike<number>, labels: ArrayLike<number>, weights: ArrayLike<number>, bins = 10): number {
  const n = r.order.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i]!;
  if (total === 0) return NaN;
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const positives = new Float64Array(bins);
  let before = 0;
  for (let k = 0; k < n; k = r.runEnd[k]!) {
    const b = Math.floor((before * bins) / total);
    for (let j = k; j < r.runEnd[k]!; j++) {
      const i = r.order[j]!;
      const w = weights[i]!;
      count[b]! += w;
      predicted[b]! += w * probs[i]!;
      positives[b]! += w * labels[i]!;
      before += w;
    }
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(predicted[b]! - positives[b]!) / total;
  return ece;
}

/** Per-row loss terms whose weighted mean is the Brier score, log loss, absolute or squared error. */
export function brierTerms(probs: ArrayLike<number>, labels: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: probs.length }, (_, i) => (probs[i]! - labels[i]!) ** 2);
}

export function logLossTerms(probs: ArrayLike<number>, labels: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: probs.length }, (_, i) => -Math.log(Math.max(labels[i] === 1 ? probs[i]! : 1 - probs[i]!, LOG_LOSS_EPS)));
}

export function absoluteErrorTerms(predicted: ArrayLike<number>, actual: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: predicted.length }, (_, i) => Math.abs(predicted[i]! - actual[i]!));
}

export function squaredErrorTerms(predicted: ArrayLike<number>, actual: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: predicted.length }, (_, i) => (predicted[i]! - actual[i]!) ** 2);
}

/** Weighted mean of per-row terms; NaN when the weights sum to 0. */
export function weightedMean(terms: ArrayLike<number>, weights: ArrayLike<number>): number {
  let s = 0;
  let w = 0;
  for (let i = 0; i < terms.length; i++) {
    s += weights[i]! * terms[i]!;
    w += weights[i]!;
  }
  return w === 0 ? NaN : s / w;
}

/**
 * Cluster-level forms of the same metrics for a bootstrap over clusters (rows offsets[c]..offsets[c+1]-1
 * of cluster c share one weight): each costs O(clusters) or O(clusters with a positive x clusters) per
 * resample instead of O(rows). They take the per-cluster weights.
 */
export function clusterSums(terms: ArrayLike<number>, offsets: readonly number[]): Float64Array {
  const out = new Float64Array(offsets.length - 1);
  for (let c = 0; c + 1 < offsets.length; c++) for (let i = offsets[c]!; i < offsets[c + 1]!; i++) out[c]! += terms[i]!;
  return out;
}

/** Weighted mean of per-row terms, from per-cluster sums of the terms and of the rows counted. */
export function clusterMean(sums: Float64Array, sizes: ArrayLike<number>, counts: ArrayLike<number>): number {
  let s = 0;
  let n = 0;
  for (let c = 0; c < sums.length; c++) {
    s += counts[c]! * sums[c]!;
    n += counts[c]! * sizes[c]!;
  }
  return n === 0 ? NaN : s / n;
}

/**
 * AUC pair counts between clusters: wins[i * clusters + b] is the number of (positive of the i-th
 * cluster with a positive, negative of cluster b) pairs the positive ranks above (ties 0.5).
 */
export interface AucPairs {
  positiveClusters: Int32Array;
  wins: Float64Array;
  positives: Float64Array;
  negatives: Float64Array;
}

export function aucPairs(r: Ranking, labels: ArrayLike<number>, offsets: readonly number[]): AucPairs {
  const clusters = offsets.length - 1;
  const clusterOf = new Int32Array(r.order.length);
  for (let c = 0; c < clusters; c++) clusterOf.fill(c, offsets[c]! - offsets[0]!, offsets[c + 1]! - offsets[0]!);
  const positives = new Float64Array(clusters);
  const negatives = new Float64Array(clusters);
  for (let i = 0; i < labels.length; i++) (labels[i] === 1 ? positives : negatives)[clusterOf[i]!]!++;
  const positiveClusters = Int32Array.from([...positives.keys()].filter((c) => positives[c]! > 0));
  const slot = new Int32Array(clusters).fill(-1);
  positiveClusters.forEach((c, i) => (slot[c] = i));
  const wins = new Float64Array(positiveClusters.length * clusters);
  const below = new Float64Array(clusters);
  const inRun = new Float64Array(clusters);
  const n = r.order.length;
  for (let k = 0; k < n; k = r.runEnd[k]!) {
    const end = r.runEnd[k]!;
    const touched: number[] = [];
    for (let j = k; j < end; j++) {
      const i = r.order[j]!;
      if (labels[i] !== 1) {
        if (inRun[clusterOf[i]!] === 0) touched.push(clusterOf[i]!);
        inRun[clusterOf[i]!]!++;
      }
    }
    for (let j = k; j < end; j++) {
      const i = r.order[j]!;
      if (labels[i] !== 1) continue;
      const row = slot[clusterOf[i]!]! * clusters;
      for (let b = 0; b < clusters; b++) wins[row + b]! += below[b]! + 0.5 * inRun[b]!;
    }
    for (const b of touched) {
      below[b]! += inRun[b]!;
      inRun[b] = 0;
    }
  }
  return { positiveClusters, wins, positives, negatives };
}

/** AUC of a resample from its cluster weights; equals weightedRocAuc with those weights on the rows. */
export function clusterRocAuc(p: AucPairs, counts: ArrayLike<number>): number {
  const clusters = counts.length;
  let pos = 0;
  let neg = 0;
  for (let c = 0; c < clusters; c++) {
    pos += counts[c]! * p.positives[c]!;
    neg += counts[c]! * p.negatives[c]!;
  }
  if (pos === 0 || neg === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < p.positiveClusters.length; i++) {
    const w = counts[p.positiveClusters[i]!]!;
    if (w === 0) continue;
    let s = 0;
    const row = i * clusters;
    for (let b = 0; b < clusters; b++) s += p.wins[row + b]! * counts[b]!;
    wins += w * s;
  }
  return wins / (pos * neg);
}
