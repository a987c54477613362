import { checkBinCount, tableFromSums, uniformBin, type CalibrationBin, type CalibrationOptions } from './calibrationBins.ts';
import { checkProbabilityInputs } from './inputs.ts';

export const HISTOGRAM_BINS = 100;

/**
 * Mergeable summary of predicted probabilities for federated evaluation: per bin k, covering
 * [k/100, (k+1)/100) (the last bin includes 1), the number of positive and negative samples.
 * Only this leaves a client; the coordinator sums histograms and derives the metrics below.
 */
export interface ScoreHistogram {
  positives: number[];
  negatives: number[];
}

export function emptyHistogram(): ScoreHistogram {
  return { positives: new Array<number>(HISTOGRAM_BINS).fill(0), negatives: new Array<number>(HISTOGRAM_BINS).fill(0) };
}

export function histogramBin(p: number): number {
  return uniformBin(p, HISTOGRAM_BINS);
}

export function histogramFromScores(probs: ArrayLike<number>, labels: ArrayLike<number>): ScoreHistogram {
  checkProbabilityInputs(probs, labels);
  const h = emptyHistogram();
  for (let i = 0; i < probs.length; i++) {
    const b = histogramBin(probs[i]!);
    if (labels[i] === 1) h.positives[b]!++;
    else h.negatives[b]!++;
  }
  return h;
}

export function addHistograms(a: ScoreHistogram, b: ScoreHistogram): ScoreHistogram {
  checkHistogram(a);
  checkHistogram(b);
  return {
    positives: a.positives.map((v, k) => v + b.positives[k]!),
    negatives: a.negatives.map((v, k) => v + b.negatives[k]!),
  };
}

export function sumHistograms(histograms: Iterable<ScoreHistogram>): ScoreHistogram {
  let total = emptyHistogram();
  for (const h of histograms) total = addHistograms(total, h);
  return total;
}

export function histogramTotals(h: ScoreHistogram): { positives: number; negatives: number } {
  checkHistogram(h);
  return { positives: sum(h.positives), negatives: sum(h.negatives) };
}

/**
 * ROC AUC of the binned scores: samples in one bin count as ties (0.5). It is exact for the scores
 * rounded to bins and differs from the exact AUC by at most sum_k pos_k neg_k / (2 P N), the weight of
 * within-bin pairs. NaN when either class is absent.
 */
export function aucFromHistogram(h: ScoreHistogram): number {
  const { positives, negatives } = histogramTotals(h);
  if (positives === 0 || negatives === 0) return NaN;
  let negativesBelow = 0;
  let wins = 0;
  for (let k = 0; k < HISTOGRAM_BINS; k++) {
    wins += h.positives[k]! * (negativesBelow + 0.5 * h.negatives[k]!);
    negativesBelow += h.negatives[k]!;
  }
  return wins / (positives * negatives);
}

/**
 * Approximate PR AUC: scikit-learn's average precision with each non-empty bin as one threshold, i.e.
 * exact AP of the binned scores. It loses the ordering inside a bin, so it can be off from the exact AP
 * when many positives and negatives share a bin (typically at low risk, where most samples are).
 * NaN when either class is absent.
 */
export function averagePrecisionFromHistogram(h: ScoreHistogram): number {
  const { positives, negatives } = histogramTotals(h);
  if (positives === 0 || negatives === 0) return NaN;
  let truePositives = 0;
  let predictedPositives = 0;
  let ap = 0;
  for (let k = HISTOGRAM_BINS - 1; k >= 0; k--) {
    const pos = h.positives[k]!;
    const all = pos + h.negatives[k]!;
    if (all === 0) continue;
    truePositives += pos;
    predictedPositives += all;
    ap += (pos / positives) * (truePositives / predictedPositives);
  }
  return ap;
}

/**
 * Calibration table from a histogram, with the same strategies as calibrationTable, each histogram bin
 * acting as a run of tied predictions at its midpoint (so meanPredicted is within 0.005 of the exact one).
 * `uniform` needs a bin count dividing 100 so that table bins are whole histogram bins.
 */
export function calibrationFromHistogram(h: ScoreHistogram, options: CalibrationOptions = {}): CalibrationBin[] {
  const { positives, negatives } = histogramTotals(h);
  const bins = checkBinCount(options.bins ?? 10);
  const uniform = (options.strategy ?? 'quantile') === 'uniform';
  if (uniform && HISTOGRAM_BINS % bins !== 0) {
    throw new RangeError(`uniform calibration from a histogram needs bins dividing ${HISTOGRAM_BINS}, got ${bins}`);
  }
  const n = positives + negatives;
  const count = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const pos = new Float64Array(bins);
  let before = 0;
  for (let k = 0; k < HISTOGRAM_BINS; k++) {
    const c = h.positives[k]! + h.negatives[k]!;
    if (c === 0) continue;
    const b = uniform ? Math.floor((k * bins) / HISTOGRAM_BINS) : Math.floor((before * bins) / n);
    count[b]! += c;
    sumPredicted[b]! += c * ((k + 0.5) / HISTOGRAM_BINS);
    pos[b]! += h.positives[k]!;
    before += c;
  }
  return tableFromSums(count, sumPredicted, pos);
}

function checkHistogram(h: ScoreHistogram): void {
  for (const counts of [h.positives, h.negatives]) {
    if (counts.length !== HISTOGRAM_BINS) throw new RangeError(`a score histogram has ${HISTOGRAM_BINS} bins, got ${counts.length}`);
    for (const c of counts) {
      if (!Number.isInteger(c) || c < 0) throw new RangeError(`histogram counts must be non-negative integers, got ${c}`);
    }
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
