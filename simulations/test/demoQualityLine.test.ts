import { describe, expect, it } from 'vitest';
import type { RoundRecord } from '@huddle/coordinator';
import { publishedQualityLine } from '../src/demo/roundLine.ts';

const base = { task: 'readiness', round: 3, roundId: 'r-3', status: 'completed', reason: null, startedAt: '', endedAt: '', selected: [], reported: [], dropped: [], numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation: true } as RoundRecord;
const est = (value: number, lo: number, hi: number) => ({ value, lo, hi });

describe("the demo's published-quality line", () => {
  it('prints the model against persistence with the paired interval and the verdict', () => {
    const r: RoundRecord = { ...base, published: { model: { round: 3, checksum: 'x' }, standing: null, quality: { metric: 'MAE', heuristic: 'persistence', athletes: 10, days: 700, model: est(0.9, 0.8, 1), reference: est(1.2, 1, 1.4), difference: est(-0.3, -0.4, -0.2), verdict: 'better', rmse: 1.1, noise: 'distributed' } } };
    expect(publishedQualityLine(r)).toBe('       published: MAE 0.900 [0.800, 1.000] vs persistence 1.200; paired difference -0.300 [-0.400, -0.200] (10 athletes, 700 days, distributed DP noise), beats it: forecasts shown');
  });

  it('says when nothing was published, and prints nothing for an abandoned round', () => {
    expect(publishedQualityLine({ ...base, published: null })).toMatch(/no validated quality/);
    expect(publishedQualityLine({ ...base, status: 'abandoned' })).toBeNull();
  });
});
