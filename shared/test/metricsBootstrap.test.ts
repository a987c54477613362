import { describe, expect, it } from 'vitest';
import {
  absoluteErrorTerms,
  aucPairs,
  clusterMean,
  clusterRocAuc,
  clusterSums,
  averagePrecision,
  brierScore,
  brierTerms,
  calibrationTable,
  clusterBootstrap,
  logLoss,
  logLossTerms,
  pairedDifference,
  percentileInterval,
  rankingOf,
  rocAuc,
  weightedAveragePrecision,
  weightedCalibrationError,
  weightedMean,
  weightedRocAuc,
} from '@huddle/shared/metrics';
import { Prng } from '@huddle/shared/random';

/** Scores on a coarse grid so that ties occur, with labels correlated to them. */
function sample(n: number, seed: number): { scores: number[]; labels: number[]; weights: number[] } {
  const prng = new Prng(seed);
  const scores: number[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = Math.round(prng.next() * 20) / 20;
    scores.push(s);
    labels.push(prng.next() < 0.1 + 0.6 * s ? 1 : 0);
    weights.push(prng.int(4));
  }
  return { scores, labels, weights };
}

function repeat<T>(values: readonly T[], weights: readonly number[]): T[] {
  return values.flatMap((v, i) => new Array<T>(weights[i]!).fill(v));
}

function ece(probs: number[], labels: number[]): number {
  return calibrationTable(probs, labels).reduce((s, b) => s + (b.count === 0 ? 0 : (b.count / probs.length) * Math.abs(b.meanPredicted - b.observedRate)), 0);
}

describe('weighted metrics', () => {
  const { scores, labels, weights } = sample(400, 3);
  const ranking = rankingOf(scores);
  const ones = new Array<number>(scores.length).fill(1);
  const s2 = repeat(scores, weights);
  const l2 = repeat(labels, weights);

  it('equal the plain metrics with unit weights', () => {
    expect(weightedRocAuc(ranking, labels, ones)).toBeCloseTo(rocAuc(scores, labels), 12);
    expect(weightedAveragePrecision(ranking, labels, ones)).toBeCloseTo(averagePrecision(scores, labels), 12);
    expect(weightedMean(brierTerms(scores, labels), ones)).toBeCloseTo(brierScore(scores, labels), 12);
    expect(weightedMean(logLossTerms(scores, labels), ones)).toBeCloseTo(logLoss(scores, labels), 12);
    expect(weightedCalibrationError(ranking, scores, labels, ones)).toBeCloseTo(ece(scores, labels), 12);
  });

  it('equal the plain metrics on the data with each row repeated weight times', () => {
    expect(weightedRocAuc(ranking, labels, weights)).toBeCloseTo(rocAuc(s2, l2), 12);
    expect(weightedAveragePrecision(ranking, labels, weights)).toBeCloseTo(averagePrecision(s2, l2), 12);
    expect(weightedMean(brierTerms(scores, labels), weights)).toBeCloseTo(brierScore(s2, l2), 12);
    expect(weightedCalibrationError(ranking, scores, labels, weights)).toBeCloseTo(ece(s2, l2), 12);
  });

  it('are NaN when a class has no weight', () => {
    const w = labels.map((y) => (y === 1 ? 0 : 1));
    expect(weightedRocAuc(ranking, labels, w)).toBeNaN();
    expect(weightedAveragePrecision(ranking, labels, w)).toBeNaN();
    expect(weightedMean(absoluteErrorTerms([1, 2], [0, 0]), [0, 0])).toBeNaN();
  });
});

describe('percentileInterval', () => {
  it('interpolates between order statistics like numpy', () => {
    const draws = Array.from({ length: 101 }, (_, i) => 100 - i);
    // numpy.percentile(range(101), [2.5, 97.5]) = [2.5, 97.5]; of 0..10 with level 0.5: [2.5, 7.5].
    const { lo, hi } = percentileInterval(draws);
    expect(lo).toBeCloseTo(2.5, 9);
    expect(hi).toBeCloseTo(97.5, 9);
    const small = percentileInterval([10, 0, 1, 9, 2, 8, 3, 7, 4, 6, 5], 0.5);
    expect(small.lo).toBeCloseTo(2.5, 9);
    expect(small.hi).toBeCloseTo(7.5, 9);
  });

  it('skips undefined draws, and is undefined when most are', () => {
    expect(percentileInterval([NaN, 1, 2, 3, NaN], 0.5)).toEqual({ lo: 1.5, hi: 2.5 });
    const mostlyNaN = percentileInterval([NaN, NaN, NaN, 1]);
    expect(mostlyNaN.lo).toBeNaN();
    expect(mostlyNaN.hi).toBeNaN();
  });
});

describe('clusterBootstrap', () => {
  // 40 athletes of 25 identical days each: the days carry no more information than the athlete means.
  const athletes = 40;
  const prng = new Prng(9);
  const means = Array.from({ length: athletes }, () => prng.normal(0, 1));
  const offsets = Array.from({ length: athletes + 1 }, (_, c) => c * 25);
  const values = means.flatMap((m) => new Array<number>(25).fill(m));
  const mean = (w: Float64Array): number => weightedMean(values, w);

  it('resamples athletes: the spread of the mean is that of athlete means over sqrt(athletes)', () => {
    const { estimates, draws } = clusterBootstrap(offsets, [mean], { resamples: 2000, seed: 5 });
    const m = means.reduce((s, v) => s + v, 0) / athletes;
    expect(estimates[0]).toBeCloseTo(m, 12);
    const sdAthletes = Math.sqrt(means.reduce((s, v) => s + (v - m) ** 2, 0) / athletes);
    const d = draws[0]!;
    const dm = d.reduce((s, v) => s + v, 0) / d.length;
    const sdDraws = Math.sqrt(d.reduce((s, v) => s + (v - dm) ** 2, 0) / d.length);
    // A day-level bootstrap would give about a fifth of this (sqrt(25) more rows).
    expect(sdDraws / (sdAthletes / Math.sqrt(athletes))).toBeGreaterThan(0.9);
    expect(sdDraws / (sdAthletes / Math.sqrt(athletes))).toBeLessThan(1.1);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const a = clusterBootstrap(offsets, [mean], { resamples: 50, seed: 1 }).draws[0]!;
    const b = clusterBootstrap(offsets, [mean], { resamples: 50, seed: 1 }).draws[0]!;
    const c = clusterBootstrap(offsets, [mean], { resamples: 50, seed: 2 }).draws[0]!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('pairs statistics: a method better by a constant has a paired interval at that constant', () => {
    const shifted = values.map((v) => v + 0.1);
    const { draws } = clusterBootstrap(offsets, [mean, (w) => weightedMean(shifted, w)], { resamples: 500, seed: 3 });
    const paired = percentileInterval(pairedDifference(draws[1]!, draws[0]!));
    expect(paired.lo).toBeCloseTo(0.1, 9);
    expect(paired.hi).toBeCloseTo(0.1, 9);
    // Unpaired, each interval is far wider than the difference.
    const single = percentileInterval(draws[0]!);
    expect(single.hi - single.lo).toBeGreaterThan(0.3);
  });

  it('refuses bad input', () => {
    expect(() => clusterBootstrap([0], [mean])).toThrow(/at least one cluster/);
    expect(() => clusterBootstrap([0, 5, 3], [mean])).toThrow(/non-decreasing/);
    expect(() => clusterBootstrap(offsets, [mean], { resamples: 0 })).toThrow(/resamples/);
  });
});

describe('cluster-level metrics', () => {
  const { scores, labels } = sample(300, 7);
  const offsets = [0, 40, 41, 41, 120, 200, 260, 300];
  const counts = [2, 0, 1, 3, 1, 0, 2];
  const rowWeights = offsets.slice(1).flatMap((end, c) => new Array<number>(end - offsets[c]!).fill(counts[c]!));
  const ranking = rankingOf(scores);

  it('AUC from cluster pair counts equals the row-weighted AUC', () => {
    const pairs = aucPairs(ranking, labels, offsets);
    expect(clusterRocAuc(pairs, counts)).toBeCloseTo(weightedRocAuc(ranking, labels, rowWeights), 12);
    expect(clusterRocAuc(pairs, counts.map(() => 1))).toBeCloseTo(rocAuc(scores, labels), 12);
  });

  it('a mean from cluster sums equals the row-weighted mean', () => {
    const terms = brierTerms(scores, labels);
    const sizes = offsets.slice(1).map((e, c) => e - offsets[c]!);
    expect(clusterMean(clusterSums(terms, offsets), sizes, counts)).toBeCloseTo(weightedMean(terms, rowWeights), 12);
  });
});
