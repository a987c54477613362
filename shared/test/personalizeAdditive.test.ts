import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, featureIndex } from '../src/features/index.ts';
import { additiveLayout, additivePredict, fitAdditive, initialAdditive, PERSONAL_ADDITIVE, personalizeAdditive, type ModelSettings, type TrainingData } from '../src/model/index.ts';
import { Prng } from '../src/random/index.ts';

const ABSOLUTE: ModelSettings = { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 0.5, l2: 0.01, monotone: true };

/** Days whose readiness tomorrow = today + 0.8 x (sleep quality - 3) + offset + noise. */
function days(n: number, seed: number, offset: number): TrainingData {
  const rng = new Prng(seed);
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const today = Math.round(rng.uniform(2, 9));
    const sleep = Math.round(rng.uniform(1, 5));
    x[r * FEATURE_COUNT + featureIndex('readiness_value')] = (today - 5) / 2.5;
    x[r * FEATURE_COUNT + featureIndex('sleep_quality_value')] = sleep - 3;
    y[r] = today + 0.8 * (sleep - 3) + offset + rng.uniform(-0.2, 0.2);
  }
  return { x, y, n };
}

describe('personalizing the additive model', () => {
  const global = fitAdditive('readiness', ABSOLUTE, initialAdditive(), days(2000, 1, 0), 40);

  it('moves only the intercept (of the served model and the iterate alike), by the median residual shrunk by n / (n + priorDays)', () => {
    const own = days(90, 2, 1.5);
    const personal = personalizeAdditive('readiness', ABSOLUTE, global, own);
    const { size } = additiveLayout();
    expect(Array.from(personal.subarray(1, size))).toEqual(Array.from(global.subarray(1, size)));
    expect(Array.from(personal.subarray(size + 1))).toEqual(Array.from(global.subarray(size + 1)));
    expect(personal[size]! - global[size]!).toBeCloseTo(personal[0]! - global[0]!, 5);
    const before = additivePredict('readiness', ABSOLUTE, global, own.x, own.n);
    const residuals = Array.from(own.y, (y, i) => y - before[i]!).sort((a, b) => a - b);
    const median = (residuals[44]! + residuals[45]!) / 2;
    expect(personal[0]! - global[0]!).toBeCloseTo(median * (90 / (90 + PERSONAL_ADDITIVE.priorDays)), 5);
    expect(personal[0]! - global[0]!).toBeGreaterThan(1);
  });

  it('beats the team model on later days of an athlete who runs higher than the team', () => {
    const own = days(120, 3, 1);
    const later = days(60, 4, 1);
    const mae = (p: Float32Array) => additivePredict('readiness', ABSOLUTE, p, later.x, later.n).reduce((t, v, i) => t + Math.abs(v - later.y[i]!), 0) / later.n;
    expect(mae(personalizeAdditive('readiness', ABSOLUTE, global, own))).toBeLessThan(mae(global) - 0.5);
  });

  it('uses the mean for the squared loss and changes nothing without days', () => {
    const squared = { ...ABSOLUTE, loss: 'squared' as const };
    const own = days(40, 5, -2);
    const before = additivePredict('readiness', squared, global, own.x, own.n);
    const mean = own.y.reduce((t, y, i) => t + y - before[i]!, 0) / own.n;
    expect(personalizeAdditive('readiness', squared, global, own)[0]! - global[0]!).toBeCloseTo(mean * (40 / 70), 4);
    expect(Array.from(personalizeAdditive('readiness', squared, global, { x: new Float32Array(0), y: new Float32Array(0), n: 0 }))).toEqual(Array.from(global));
  });
});
