import { randomDays } from './helpers/randomDays.ts';
import { describe, expect, it } from 'vitest';
import { explainAdditive } from '../src/explain/explainAdditive.ts';
import { FEATURE_COUNT, featureIndex } from '../src/features/index.ts';
import { additiveLayout, additivePredict, fitAdditive, initialAdditive, resumeAdditive, type ModelSettings, type TrainingData } from '../src/model/index.ts';

const SETTINGS: ModelSettings = { kind: 'additive', target: 'change', loss: 'squared', huberDelta: 1, learningRate: 0.5, l2: 0.001, monotone: true };
const WITH_PAIRS: ModelSettings = { ...SETTINGS, pairTerms: true };
const RZ = featureIndex('readiness_z');
const LOAD = featureIndex('load_today');
const RV = featureIndex('readiness_value');

/** Readiness tomorrow = today + 0.8 x readiness_z x (load_today - 1) + noise: an interaction with no main effect of either. */
function days(n: number, seed: number): TrainingData {
  return randomDays(n, seed, (rng, x, at) => {
    const today = Math.round(rng.uniform(2, 9));
    x[at + RV] = (today - 5) / 2.5;
    x[at + RZ] = rng.uniform(-2, 2);
    x[at + LOAD] = rng.uniform(0, 2);
    return today + 0.8 * x[at + RZ]! * (x[at + LOAD]! - 1) + rng.uniform(-0.2, 0.2);
  });
}

function mae(settings: ModelSettings, params: Float32Array, d: TrainingData): number {
  const p = additivePredict('readiness', settings, params, d.x, d.n);
  let s = 0;
  for (let r = 0; r < d.n; r++) s += Math.abs(p[r]! - d.y[r]!);
  return s / d.n;
}

describe('pair terms of the additive model', () => {
  const layout = additiveLayout();
  const train = days(3000, 1);
  const held = days(1000, 2);

  it('learn an interaction the shape functions cannot, and stay at 0 unless the settings ask for them', () => {
    const without = fitAdditive('readiness', SETTINGS, initialAdditive(), train, 30);
    const withPairs = fitAdditive('readiness', WITH_PAIRS, initialAdditive(), train, 30);
    for (let s = layout.pairOffset; s < layout.size; s++) expect(without[s]).toBe(0);
    const a = mae(SETTINGS, without, held);
    const b = mae(WITH_PAIRS, withPairs, held);
    expect(b).toBeLessThan(0.6 * a);
  });

  it("explanations stay exact, and a pair term's share goes to the feature that differs from the baseline day", () => {
    const params = fitAdditive('readiness', WITH_PAIRS, initialAdditive(), train, 30);
    const x = held.x.slice(0, FEATURE_COUNT);
    const full = explainAdditive('readiness', WITH_PAIRS, params, x, held.x.slice(FEATURE_COUNT, 2 * FEATURE_COUNT));
    expect(Math.abs(full.completenessGap)).toBeLessThan(1e-9);
    const baseline = Float32Array.from(x);
    x[LOAD] = 0.1;
    baseline[LOAD] = 1.9;
    x[RZ] = 1.8;
    baseline[RZ] = 1.8;
    const onlyLoad = explainAdditive('readiness', WITH_PAIRS, params, x, baseline);
    expect(Math.abs(onlyLoad.completenessGap)).toBeLessThan(1e-9);
    expect(onlyLoad.attributions[RZ]).toBe(0);
    // The interaction: high readiness_z with low load lowers tomorrow's change (0.8 x 1.8 x (0.1 - 1) < 0).
    expect(onlyLoad.attributions[LOAD]).toBeLessThan(-0.5);
    expect(onlyLoad.prediction - onlyLoad.baselinePrediction).toBeCloseTo(onlyLoad.attributions[LOAD]!, 9);
  });

  it('a checkpoint saved before the pair terms (no pair cells) resumes with them at 0 and predicts exactly as before', () => {
    const trained = fitAdditive('readiness', SETTINGS, initialAdditive(), train, 5);
    const { size, pairOffset } = layout;
    const legacy = new Float32Array(2 * pairOffset);
    legacy.set(trained.subarray(0, pairOffset), 0);
    legacy.set(trained.subarray(size, size + pairOffset), pairOffset);
    const resumed = resumeAdditive(legacy);
    expect(Array.from(resumed)).toEqual(Array.from(trained));
    expect(resumeAdditive(trained)).toBe(trained);
    expect(Array.from(additivePredict('readiness', SETTINGS, resumed, held.x, held.n))).toEqual(Array.from(additivePredict('readiness', SETTINGS, trained, held.x, held.n)));
  });
});
