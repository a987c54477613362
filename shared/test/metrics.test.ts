import { describe, expect, it } from 'vitest';
import { averagePrecision, brierScore, calibrationTable, logLoss, mae, rmse, rocAuc } from '@huddle/shared/metrics';

// The scikit-learn documentation example: 4 samples, no ties.
const scores = [0.1, 0.4, 0.35, 0.8];
const labels = [0, 0, 1, 1];

// Ties: 0.5 is shared by one positive and two negatives.
const tiedScores = [0.5, 0.5, 0.5, 0.2, 0.8];
const tiedLabels = [1, 0, 0, 0, 1];

describe('rocAuc', () => {
  it('counts concordant pairs: 3 of 4', () => {
    expect(rocAuc(scores, labels)).toBeCloseTo(0.75, 12);
  });

  it('counts a tied pair as 0.5: (0.5 + 0.5 + 1 + 3) / 6', () => {
    expect(rocAuc(tiedScores, tiedLabels)).toBeCloseTo(5 / 6, 12);
  });

  it('is 0.5 when every score ties', () => {
    expect(rocAuc([0.3, 0.3, 0.3], [1, 0, 1])).toBe(0.5);
  });

  it('is 1 and 0 for perfect and reversed rankings', () => {
    expect(rocAuc([0.9, 0.1], [1, 0])).toBe(1);
    expect(rocAuc([0.1, 0.9], [1, 0])).toBe(0);
  });

  it('accepts typed arrays', () => {
    expect(rocAuc(Float32Array.from([0.1, 0.4, 0.35, 0.8]), Uint8Array.from(labels))).toBeCloseTo(0.75, 12);
  });

  it('is NaN for one class or no samples', () => {
    expect(rocAuc([0.2, 0.7], [1, 1])).toBeNaN();
    expect(rocAuc([0.2, 0.7], [0, 0])).toBeNaN();
    expect(rocAuc([], [])).toBeNaN();
  });

  it('rejects bad input', () => {
    expect(() => rocAuc([0.1, 0.2], [0])).toThrow(RangeError);
    expect(() => rocAuc([0.1], [2])).toThrow(RangeError);
    expect(() => rocAuc([NaN], [1])).toThrow(RangeError);
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn: 0.5 * 1 + 0.5 * 2/3 = 0.8333', () => {
    expect(averagePrecision(scores, labels)).toBeCloseTo(0.833333333333, 10);
  });

  it('treats tied scores as one threshold: 0.5 * 1 + 0.5 * 2/4 = 0.75', () => {
    expect(averagePrecision(tiedScores, tiedLabels)).toBeCloseTo(0.75, 12);
  });

  it('is the prevalence when every score ties', () => {
    expect(averagePrecision([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 0])).toBe(0.25);
  });

  it('is NaN for one class or no samples', () => {
    expect(averagePrecision([0.2, 0.7], [0, 0])).toBeNaN();
    expect(averagePrecision([0.2, 0.7], [1, 1])).toBeNaN();
    expect(averagePrecision([], [])).toBeNaN();
  });
});

describe('brierScore', () => {
  it('averages squared errors: (0.01 + 0.16 + 0.4225 + 0.04) / 4', () => {
    expect(brierScore(scores, labels)).toBeCloseTo(0.158125, 12);
  });

  it('is defined for one class, NaN for no samples, and rejects non-probabilities', () => {
    expect(brierScore([0.2, 0.6], [1, 1])).toBeCloseTo((0.64 + 0.16) / 2, 12);
    expect(brierScore([], [])).toBeNaN();
    expect(() => brierScore([1.2], [1])).toThrow(RangeError);
  });
});

describe('logLoss', () => {
  it('averages -ln of the probability of the outcome: -(ln .9 + ln .6 + ln .35 + ln .8) / 4', () => {
    expect(logLoss(scores, labels)).toBeCloseTo(0.472287958, 8);
  });

  it('clips certain mistakes at -ln(1e-15) = 34.5388', () => {
    expect(logLoss([0, 1], [1, 0])).toBeCloseTo(34.538776, 5);
    expect(logLoss([1, 0], [1, 0])).toBeCloseTo(0, 12);
  });

  it('is NaN for no samples', () => {
    expect(logLoss([], [])).toBeNaN();
  });
});

describe('calibrationTable', () => {
  it('splits into equal-count bins by predicted risk', () => {
    const table = calibrationTable([0.9, 0.1, 0.6, 0.3, 0.7, 0.2], [1, 0, 1, 1, 0, 0], { bins: 2 });
    expect(table).toHaveLength(2);
    expect(table[0]!.count).toBe(3);
    expect(table[0]!.meanPredicted).toBeCloseTo(0.2, 12);
    expect(table[0]!.observedRate).toBeCloseTo(1 / 3, 12);
    expect(table[1]!.count).toBe(3);
    expect(table[1]!.meanPredicted).toBeCloseTo(2.2 / 3, 12);
    expect(table[1]!.observedRate).toBeCloseTo(2 / 3, 12);
  });

  it('makes deciles by default: 20 samples, 2 per bin', () => {
    const probs = Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20);
    const outcomes = probs.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const table = calibrationTable(probs, outcomes);
    expect(table.map((b) => b.count)).toEqual(new Array(10).fill(2));
    expect(table[0]!.meanPredicted).toBeCloseTo(0.05, 12);
    expect(table[9]!.meanPredicted).toBeCloseTo(0.95, 12);
    expect(table.every((b) => b.observedRate === 0.5)).toBe(true);
  });

  it('keeps tied predictions in one bin', () => {
    const table = calibrationTable([0.2, 0.2, 0.2, 0.8], [0, 1, 0, 1], { bins: 2 });
    expect(table.map((b) => b.count)).toEqual([3, 1]);
    expect(table[0]!.observedRate).toBeCloseTo(1 / 3, 12);
  });

  it('bins by fixed width with strategy uniform, 1.0 in the last bin', () => {
    const table = calibrationTable([0.05, 0.15, 0.95, 1.0], [0, 0, 1, 0], { strategy: 'uniform' });
    expect(table.map((b) => b.count)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(table[9]!.meanPredicted).toBeCloseTo(0.975, 12);
    expect(table[9]!.observedRate).toBe(0.5);
    expect(table[2]!.meanPredicted).toBeNaN();
    expect(table[2]!.observedRate).toBeNaN();
  });

  it('returns empty bins for no samples', () => {
    const table = calibrationTable([], []);
    expect(table).toHaveLength(10);
    expect(table.every((b) => b.count === 0 && Number.isNaN(b.meanPredicted))).toBe(true);
  });
});

describe('mae and rmse', () => {
  // errors -1, 0, 3
  const predicted = [2, 4, 7];
  const actual = [3, 4, 4];

  it('MAE = 4 / 3', () => {
    expect(mae(predicted, actual)).toBeCloseTo(1.333333333333, 10);
  });

  it('RMSE = sqrt(10 / 3)', () => {
    expect(rmse(predicted, actual)).toBeCloseTo(1.825741858, 8);
  });

  it('is NaN for no samples', () => {
    expect(mae([], [])).toBeNaN();
    expect(rmse([], [])).toBeNaN();
  });
});
