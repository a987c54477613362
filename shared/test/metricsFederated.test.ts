import { describe, expect, it } from 'vitest';
import {
  HISTOGRAM_BINS,
  addHistograms,
  addRegressionSums,
  aucFromHistogram,
  averagePrecision,
  averagePrecisionFromHistogram,
  calibrationFromHistogram,
  emptyHistogram,
  histogramBin,
  histogramFromScores,
  histogramTotals,
  maeFromSums,
  regressionSums,
  regressionSumsSchema,
  rmseFromSums,
  rocAuc,
  scoreHistogramSchema,
  sumHistograms,
} from '@huddle/shared/metrics';

// Bins 0, 29, 29, 50, 99: one positive and one negative share bin 29.
const probs = [0.005, 0.29, 0.295, 0.5, 1.0];
const labels = [0, 1, 0, 1, 1];

describe('ScoreHistogram', () => {
  it('puts p in bin floor(100 p), 1.0 in the last bin', () => {
    expect([0, 0.005, 0.01, 0.29, 0.295, 0.5, 0.999, 1].map(histogramBin)).toEqual([0, 0, 1, 29, 29, 50, 99, 99]);
  });

  it('counts positives and negatives per bin', () => {
    const h = histogramFromScores(probs, labels);
    expect(h.positives).toHaveLength(HISTOGRAM_BINS);
    expect(h.negatives[0]).toBe(1);
    expect(h.positives[29]).toBe(1);
    expect(h.negatives[29]).toBe(1);
    expect(h.positives[50]).toBe(1);
    expect(h.positives[99]).toBe(1);
    expect(histogramTotals(h)).toEqual({ positives: 3, negatives: 2 });
  });

  it('merges by summing: two clients equal the pooled data', () => {
    const a = histogramFromScores(probs.slice(0, 2), labels.slice(0, 2));
    const b = histogramFromScores(probs.slice(2), labels.slice(2));
    expect(addHistograms(a, b)).toEqual(histogramFromScores(probs, labels));
    expect(sumHistograms([a, b, emptyHistogram()])).toEqual(histogramFromScores(probs, labels));
  });

  it('AUC treats a shared bin as a tie: (1 + 0.5 + 2 + 2) / 6, exact is 5 / 6', () => {
    const h = histogramFromScores(probs, labels);
    expect(aucFromHistogram(h)).toBeCloseTo(5.5 / 6, 12);
    expect(rocAuc(probs, labels)).toBeCloseTo(5 / 6, 12);
  });

  it('AUC equals the exact AUC when no bin mixes classes', () => {
    const p = [0.12, 0.34, 0.56, 0.78, 0.9];
    const y = [0, 1, 0, 1, 1];
    expect(aucFromHistogram(histogramFromScores(p, y))).toBeCloseTo(rocAuc(p, y), 12);
  });

  it('AP from the histogram: 1/3 * 1 + 1/3 * 1 + 1/3 * 3/4', () => {
    const h = histogramFromScores(probs, labels);
    expect(averagePrecisionFromHistogram(h)).toBeCloseTo(0.916666666667, 10);
    expect(averagePrecision(probs, labels)).toBeCloseTo(0.916666666667, 10);
  });

  it('AP from the histogram loses order inside a bin: 1/3 + 2/3 * 3/5 vs exact 1', () => {
    const p = [0.111, 0.112, 0.113, 0.114, 0.5];
    // Bin 11 holds 0, 0, 1, 1 by score: its two positives outrank both negatives, which only the exact AP sees.
    const y = [0, 0, 1, 1, 1];
    expect(averagePrecision(p, y)).toBeCloseTo(1, 12);
    expect(averagePrecisionFromHistogram(histogramFromScores(p, y))).toBeCloseTo(1 / 3 + (2 / 3) * (3 / 5), 12);
  });

  it('quantile calibration: bins 0 and 29 form the low half, bins 50 and 99 the high half', () => {
    const table = calibrationFromHistogram(histogramFromScores(probs, labels), { bins: 2 });
    expect(table[0]!.count).toBe(3);
    expect(table[0]!.meanPredicted).toBeCloseTo((0.005 + 2 * 0.295) / 3, 12);
    expect(table[0]!.observedRate).toBeCloseTo(1 / 3, 12);
    expect(table[1]!.count).toBe(2);
    expect(table[1]!.meanPredicted).toBeCloseTo((0.505 + 0.995) / 2, 12);
    expect(table[1]!.observedRate).toBe(1);
  });

  it('uniform calibration groups 10 histogram bins per decile', () => {
    const table = calibrationFromHistogram(histogramFromScores(probs, labels), { strategy: 'uniform' });
    expect(table.map((b) => b.count)).toEqual([1, 0, 2, 0, 0, 1, 0, 0, 0, 1]);
    expect(table[2]!.meanPredicted).toBeCloseTo(0.295, 12);
    expect(table[2]!.observedRate).toBe(0.5);
    expect(() => calibrationFromHistogram(emptyHistogram(), { strategy: 'uniform', bins: 3 })).toThrow(RangeError);
  });

  it('is NaN for one class or no samples', () => {
    const onlyPositives = histogramFromScores([0.2, 0.9], [1, 1]);
    expect(aucFromHistogram(onlyPositives)).toBeNaN();
    expect(averagePrecisionFromHistogram(onlyPositives)).toBeNaN();
    expect(aucFromHistogram(emptyHistogram())).toBeNaN();
    expect(averagePrecisionFromHistogram(emptyHistogram())).toBeNaN();
    expect(calibrationFromHistogram(emptyHistogram()).every((b) => b.count === 0)).toBe(true);
  });

  it('rejects malformed histograms and validates on the wire', () => {
    const bad = { positives: [1, 2], negatives: [0, 0] };
    expect(() => addHistograms(bad, emptyHistogram())).toThrow(RangeError);
    expect(scoreHistogramSchema.safeParse(bad).success).toBe(false);
    expect(scoreHistogramSchema.safeParse(histogramFromScores(probs, labels)).success).toBe(true);
  });
});

describe('RegressionSums', () => {
  it('holds n, sum |e|, sum e^2 and merges by addition', () => {
    const a = regressionSums([2, 4, 7], [3, 4, 4]); // errors -1, 0, 3
    expect(a).toEqual({ n: 3, sumAbsError: 4, sumSquaredError: 10 });
    expect(maeFromSums(a)).toBeCloseTo(4 / 3, 12);
    expect(rmseFromSums(a)).toBeCloseTo(Math.sqrt(10 / 3), 12);

    const merged = addRegressionSums(a, regressionSums([1], [3])); // error -2
    expect(merged).toEqual({ n: 4, sumAbsError: 6, sumSquaredError: 14 });
    expect(maeFromSums(merged)).toBe(1.5);
    expect(rmseFromSums(merged)).toBeCloseTo(1.870828693, 8);
    expect(regressionSumsSchema.safeParse(merged).success).toBe(true);
  });

  it('is NaN for no samples', () => {
    const empty = regressionSums([], []);
    expect(maeFromSums(empty)).toBeNaN();
    expect(rmseFromSums(empty)).toBeNaN();
  });
});
