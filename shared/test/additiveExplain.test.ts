import { describe, expect, it } from 'vitest';
import { explainAdditive, typicalDay } from '../src/explain/index.ts';
import { FEATURE_COUNT, featureIndex } from '../src/features/index.ts';
import { additivePredict, additiveParameterCount, type ModelSettings } from '../src/model/index.ts';
import { Prng } from '../src/random/index.ts';

const rng = new Prng(3);
const params = Float32Array.from({ length: additiveParameterCount() }, () => rng.uniform(-0.5, 0.5));
const day = (): Float32Array => Float32Array.from({ length: FEATURE_COUNT }, () => rng.uniform(-1, 1));
const readiness: ModelSettings = { kind: 'additive', target: 'change', loss: 'huber', huberDelta: 1, learningRate: 0.1, l2: 0.01, monotone: true };
const injury: ModelSettings = { ...readiness, target: 'level', loss: 'logistic' };

describe('exact explanations of the additive model', () => {
  it('attributions sum to prediction minus the baseline prediction, for readiness (with the change reference) and injury', () => {
    for (const [task, settings] of [['readiness', readiness], ['injury', injury]] as const) {
      const x = day();
      const e = explainAdditive(task, settings, params, x, day(), FEATURE_COUNT);
      expect(e.prediction).toBeCloseTo(additivePredict(task, settings, params, x, 1)[0]!, 5);
      expect(Math.abs(e.completenessGap)).toBeLessThan(1e-9);
      expect(e.factors.reduce((s, f) => s + f.attribution, 0)).toBeCloseTo(e.prediction - e.baselinePrediction, 9);
    }
  });

  it('a missing optional measurement contributes exactly nothing', () => {
    const x = day();
    x[featureIndex('hrv_missing')] = 1;
    x[featureIndex('rhr_missing')] = 1;
    const baseline = day();
    baseline[featureIndex('hrv_missing')] = 0;
    const e = explainAdditive('readiness', readiness, params, x, baseline, FEATURE_COUNT);
    for (const name of ['hrv_ln_delta', 'hrv_missing', 'rhr_delta', 'rhr_missing']) expect(e.attributions[featureIndex(name)]).toBe(0);
    expect(e.factors.find((f) => f.feature === 'hrv_ln_delta' || f.feature === 'rhr_delta')).toBeUndefined();
  });

  it("explains an answer and its z-score as one factor, against the athlete's typical day (z = as usual)", () => {
    const rows = [day(), day(), day()];
    const x = new Float32Array(rows.flatMap((r) => [...r]));
    const typical = typicalDay(x, [0, 1, 2]);
    expect(typical[featureIndex('sleep_quality_z')]).toBe(0);
    expect(typical[featureIndex('load_today')]).toBeCloseTo((rows[0]![0]! + rows[1]![0]! + rows[2]![0]!) / 3, 6);
    const e = explainAdditive('readiness', readiness, params, rows[0]!, typical, FEATURE_COUNT);
    const sleep = e.factors.find((f) => f.feature === 'sleep_quality_value');
    expect(e.factors.find((f) => f.feature === 'sleep_quality_z')).toBeUndefined();
    const both = e.attributions[featureIndex('sleep_quality_value')]! + e.attributions[featureIndex('sleep_quality_z')]!;
    if (both !== 0) expect(sleep?.attribution).toBeCloseTo(both, 12);
  });
});
