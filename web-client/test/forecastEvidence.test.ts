import { describe, expect, it } from 'vitest';
import type { PublishedEvaluation } from '@huddle/shared/metrics';
import { forecastEvidence } from '../src/engine/forecastEvidence.ts';

const bins = (cells: Record<number, number>): number[] => Array.from({ length: 100 }, (_, i) => cells[i] ?? 0);
const estimate = (value: number, lo: number, hi: number) => ({ value, lo, hi });

function published(calibration?: { positives: number[]; negatives: number[]; noiseStd: number }): PublishedEvaluation {
  return {
    model: { round: 9, checksum: 'c' },
    standing: null,
    quality: {
      metric: 'Brier score',
      heuristic: 'own injury rate',
      athletes: 40,
      days: 2000,
      positives: 60,
      positiveAthletes: 12,
      model: estimate(0.04, 0.035, 0.045),
      reference: estimate(0.05, 0.044, 0.056),
      difference: estimate(-0.01, -0.015, -0.005),
      verdict: 'better',
      noise: 'none',
      ...(calibration ? { calibration } : {}),
    },
  };
}

describe('evidence behind an injury forecast', () => {
  const calibration = { positives: bins({ 3: 12, 4: 8, 20: 30 }), negatives: bins({ 3: 300, 4: 280, 20: 70 }), noiseStd: 0 };

  it('gives how often held-out days near this forecast were followed by an injury, and uses it as the interval when it contains the forecast', () => {
    const e = forecastEvidence('injury', 9, published(calibration), 0.035, undefined);
    expect(e.validated).toBe(true);
    expect(e.observed).toMatchObject({ fromRisk: 0.03, toRisk: 0.04, days: 312, positives: 12 });
    expect(e.interval!.low).toBeLessThan(0.035);
    expect(e.interval!.high).toBeGreaterThan(0.035);
  });

  it('keeps the observed rate but no interval when the forecast lies outside it (the model is miscalibrated there)', () => {
    const e = forecastEvidence('injury', 9, published(calibration), 0.2, undefined);
    expect(e.observed!.rate).toBeCloseTo(0.3, 6);
    expect(e.interval).toBeUndefined();
  });

  it('has no interval without a published calibration, and none for a model version it was not published with', () => {
    expect(forecastEvidence('injury', 9, published(), 0.035, undefined)).toMatchObject({ validated: true });
    expect(forecastEvidence('injury', 9, published(), 0.035, undefined).interval).toBeUndefined();
    expect(forecastEvidence('injury', 10, published(calibration), 0.035, undefined).validated).toBe(false);
  });
});
