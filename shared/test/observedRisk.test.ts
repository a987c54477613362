import { describe, expect, it } from 'vitest';
import { buildEvaluationVector, decodeEvaluationSum, encodeEvaluationVector, planEvaluationEncoding, readEvaluationSums, sumEvaluationVectors, type LocalEvaluationInput } from '../src/aggregation/index.ts';
import { Prng } from '../src/random/index.ts';
import { HISTOGRAM_BINS, OBSERVED_RISK_MIN_DAYS, OBSERVED_RISK_MIN_POSITIVES, observedRiskNear, publishedQuality, wilsonInterval, type RiskCalibration } from '../src/metrics/index.ts';

const empty = (): number[] => new Array<number>(HISTOGRAM_BINS).fill(0);

function calibration(cells: Record<number, [positives: number, negatives: number]>, noiseStd = 0): RiskCalibration {
  const positives = empty();
  const negatives = empty();
  for (const [bin, [p, n]] of Object.entries(cells)) {
    positives[Number(bin)] = p;
    negatives[Number(bin)] = n;
  }
  return { positives, negatives, noiseStd };
}

describe('the injury forecast’s observed-risk interval', () => {
  it('is Wilson’s score interval (10 of 100: 5.5% to 17.4%)', () => {
    const { low, high } = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.0552, 4);
    expect(high).toBeCloseTo(0.1744, 4);
  });

  it('uses the forecast’s own bin when it holds enough days and injuries', () => {
    const o = observedRiskNear(calibration({ 4: [12, 188], 5: [1, 50], 30: [40, 60] }), 0.045)!;
    expect(o).toMatchObject({ fromRisk: 0.04, toRisk: 0.05, days: 200, positives: 12, rate: 0.06 });
    expect(o.low).toBeLessThan(0.06);
    expect(o.high).toBeGreaterThan(0.06);
  });

  it('widens the band one bin each side until it holds enough, never past the ends', () => {
    const o = observedRiskNear(calibration({ 1: [2, 60], 2: [3, 30], 3: [1, 20], 4: [6, 10] }), 0.025)!;
    // Bin 2 alone: 33 days. Bins 1-3: 116 days, 6 injuries (< 10). Bins 0-4: 132 days, 12 injuries.
    expect(o).toMatchObject({ fromRisk: 0, toRisk: 0.05, days: 132, positives: 12 });
    expect(o.days).toBeGreaterThanOrEqual(OBSERVED_RISK_MIN_DAYS);
    expect(o.positives).toBeGreaterThanOrEqual(OBSERVED_RISK_MIN_POSITIVES);
  });

  it('gives nothing when the whole federation has too few injuries', () => {
    expect(observedRiskNear(calibration({ 3: [9, 5000] }), 0.03)).toBeNull();
  });

  it('is wider under DP noise on the counts', () => {
    const cells = { 10: [20, 380] as [number, number] };
    const exact = observedRiskNear(calibration(cells), 0.1)!;
    const noisy = observedRiskNear(calibration(cells, 8), 0.1)!;
    expect(noisy.high - noisy.low).toBeGreaterThan(1.5 * (exact.high - exact.low));
  });

  it('is published with an injury model’s quality, from the summed (or securely summed) evaluation vectors', () => {
    const inputs: LocalEvaluationInput[] = Array.from({ length: 6 }, (_, a) => {
      const positives = empty();
      const negatives = empty();
      positives[7] = 2 + (a % 2);
      negatives[7] = 40;
      negatives[1] = 30;
      const days = positives[7]! + negatives[7]! + negatives[1]!;
      return { days, sumLoss: 0.1 * days, summary: { kind: 'binary', positives, negatives }, model: 0.05, heuristic: 0.06 };
    });
    const vectors = inputs.map((e) => buildEvaluationVector('binary', e));
    const q = publishedQuality(readEvaluationSums('binary', sumEvaluationVectors('binary', vectors)), 'none')!;
    expect(q.calibration!.positives[7]).toBe(15);
    expect(q.calibration!.negatives[7]).toBe(240);
    expect(q.calibration!.noiseStd).toBe(0);
    const o = observedRiskNear(q.calibration!, 0.075)!;
    expect(o).toMatchObject({ days: 255, positives: 15 });

    const enc = planEvaluationEncoding('binary', { noise: 'distributed', noiseMultiplier: 1, minClients: 3 }, 6);
    let total = new Uint32Array(enc.vectorLength);
    const seeded = new Prng(5);
    for (const v of vectors) {
      const x = encodeEvaluationVector('binary', v, enc, seeded);
      total = total.map((t, i) => (t + x[i]!) >>> 0);
    }
    const { sum, noiseStd } = decodeEvaluationSum('binary', total, enc, 6);
    // The calibration published under distributed DP carries the noise std that widens its interval.
    expect(readEvaluationSums('binary', sum, noiseStd).histogramNoiseStd).toBeGreaterThan(0);
    expect(readEvaluationSums('binary', sum, noiseStd).histogramNoiseStd).toBeCloseTo(noiseStd[3]!, 9);
  });
});
