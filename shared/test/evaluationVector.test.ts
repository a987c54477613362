import { describe, expect, it } from 'vitest';
import {
  buildEvaluationVector,
  decodeEvaluationSum,
  encodeEvaluationVector,
  evaluationExtras,
  evaluationVectorFromResult,
  evaluationVectorProblem,
  planEvaluationEncoding,
  readEvaluationSums,
  sumEvaluationVectors,
  type LocalEvaluationInput,
} from '../src/aggregation/index.ts';
import { meanInterval, percentileOf, publishedQuality, tQuantile975 } from '../src/metrics/index.ts';
import { SCORE_BINS } from '../src/protocol/index.ts';

/** Seeded uniform [0, 1) (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function athletes(count: number, seed: number, modelEdge: number): LocalEvaluationInput[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const days = 20 + Math.floor(r() * 40);
    const model = 0.8 + r() * 0.6;
    return {
      days,
      sumLoss: days * 0.02,
      summary: { kind: 'regression', sumAbsError: model * days, sumSquaredError: model * model * days * 1.3 },
      model,
      heuristic: model + modelEdge + (r() - 0.5) * 0.2,
      standing: { readinessBin: 4 + (i % 5), loadBin: i % 3 },
    } satisfies LocalEvaluationInput;
  });
}

describe('the evaluation vector', () => {
  it('sums to the exact per-athlete quality interval, through the plain and the secure codec alike', () => {
    const inputs = athletes(12, 3, 0.15);
    const vectors = inputs.map((e) => buildEvaluationVector('regression', e));
    for (const v of vectors) expect(evaluationVectorProblem('regression', v)).toBeNull();
    const plain = readEvaluationSums('regression', sumEvaluationVectors('regression', vectors));
    const q = publishedQuality(plain, 'none')!;
    // Direct computation over the athletes' own figures.
    const d = inputs.map((e) => e.model! - e.heuristic!);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1));
    expect(q.difference.value).toBeCloseTo(mean, 9);
    expect(q.difference.hi - q.difference.value).toBeCloseTo((tQuantile975(11) * sd) / Math.sqrt(12), 9);
    expect(q.verdict).toBe('better');
    expect(q.athletes).toBe(12);
    expect(q.days).toBe(inputs.reduce((a, e) => a + e.days, 0));

    const enc = planEvaluationEncoding('regression', { noise: 'none', noiseMultiplier: null, minClients: 5 }, 12);
    let total = new Uint32Array(enc.vectorLength);
    for (const v of vectors) {
      const x = encodeEvaluationVector('regression', v, enc);
      total = total.map((t, i) => (t + x[i]!) >>> 0);
    }
    const { sum } = decodeEvaluationSum('regression', total, enc, 12);
    const secure = publishedQuality(readEvaluationSums('regression', sum), 'none')!;
    expect(secure.difference.value).toBeCloseTo(q.difference.value, 4);
    expect(secure.model.value).toBeCloseTo(q.model.value, 4);
    expect(secure.athletes).toBe(12);
  });

  it('says inconclusive when model and heuristic tie, and publishes nothing below 3 athletes', () => {
    const tie = athletes(10, 5, 0).map((e) => buildEvaluationVector('regression', e));
    expect(publishedQuality(readEvaluationSums('regression', sumEvaluationVectors('regression', tie)), 'none')!.verdict).toBe('inconclusive');
    const two = athletes(2, 5, 0.5).map((e) => buildEvaluationVector('regression', e));
    expect(publishedQuality(readEvaluationSums('regression', sumEvaluationVectors('regression', two)), 'none')).toBeNull();
  });

  it('widens the interval by the distributed noise the devices add', () => {
    const inputs = athletes(30, 9, 0.15);
    const vectors = inputs.map((e) => buildEvaluationVector('regression', e));
    const enc = planEvaluationEncoding('regression', { noise: 'distributed', noiseMultiplier: 1, minClients: 10 }, 30);
    expect(enc.noiseSigma).toBeGreaterThan(0);
    const r = rng(17);
    const seeded = { nextUint32: () => Math.floor(r() * 4294967296) };
    let total = new Uint32Array(enc.vectorLength);
    for (const v of vectors) {
      const x = encodeEvaluationVector('regression', v, enc, seeded);
      total = total.map((t, i) => (t + x[i]!) >>> 0);
    }
    const { sum, noiseStd } = decodeEvaluationSum('regression', total, enc, 30);
    const noisy = publishedQuality(readEvaluationSums('regression', sum, noiseStd), 'distributed');
    const exact = publishedQuality(readEvaluationSums('regression', sumEvaluationVectors('regression', vectors)), 'none')!;
    // z = 1 over 30 athletes: the noise on a sum bounded by 10 per athlete is several points, so the interval is wide.
    expect(noisy).not.toBeNull();
    expect(noisy!.difference.hi - noisy!.difference.lo).toBeGreaterThan(3 * (exact.difference.hi - exact.difference.lo));
    expect(noiseStd.every((s) => s > 0)).toBe(true);
  });

  it('refuses out-of-bound plain vectors and rebuilds the vector from an evaluateResult', () => {
    const e = athletes(1, 1, 0.1)[0]!;
    const v = buildEvaluationVector('regression', e);
    const rebuilt = evaluationVectorFromResult('regression', { numExamples: e.days, sumLoss: e.sumLoss, summary: e.summary, extras: evaluationExtras('regression', v) });
    expect(Array.from(rebuilt as Float64Array)).toEqual(Array.from(v));
    const tooBig = Float64Array.from(v);
    tooBig[1] = 10_000;
    expect(evaluationVectorProblem('regression', tooBig)).toMatch(/days is outside its bound/);
    expect(evaluationVectorFromResult('binary', { numExamples: 1, sumLoss: 0, summary: e.summary })).toMatch(/binary summary/);
    const binary = buildEvaluationVector('binary', { days: 2, sumLoss: 0.1, summary: { kind: 'binary', positives: new Array<number>(SCORE_BINS).fill(0), negatives: [1, 1, ...new Array<number>(SCORE_BINS - 2).fill(0)] } });
    expect(evaluationVectorProblem('binary', binary)).toBeNull();
    binary[5] = 7;
    expect(evaluationVectorProblem('binary', binary)).toMatch(/do not add up/);
  });

  it('turns standing histograms into mid-rank percentiles', () => {
    expect(percentileOf([0, 2, 2, 0], 1)).toBe(25);
    expect(percentileOf([0, 2, 2, 0], 2)).toBe(75);
    expect(percentileOf([0, 0], 1)).toBeNull();
    expect(meanInterval(10, 30, 5).value).toBe(2);
  });
});
