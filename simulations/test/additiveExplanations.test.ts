import { describe, expect, it } from 'vitest';
import { explainAdditive, typicalDay } from '@huddle/shared/explain';
import { FEATURE_COUNT, featureIndex, WELLNESS_ITEMS } from '@huddle/shared/features';
import { fitAdditive, initialAdditive, type ModelSettings } from '@huddle/shared/model';
import { DEFAULT_MODEL_SETTINGS } from '@huddle/shared/protocol';
import { buildCohort, pooledTraining, type Cohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const CHECKED = ['sleepQuality', 'soreness', 'fatigue', 'stress'] as const;

/** Held-out days where one of the four items is worse than the athlete's usual, and that item's factor. */
function violations(cohort: Cohort, settings: ModelSettings, params: Float32Array): { checked: number; raising: number; maxGap: number } {
  let checked = 0;
  let raising = 0;
  let maxGap = 0;
  for (const a of cohort.evaluated) {
    const reported = a.train.days;
    if (reported.length === 0) continue;
    const baseline = typicalDay(a.features.x, reported);
    for (const day of a.test.days) {
      const x = a.features.x.subarray(day * FEATURE_COUNT, (day + 1) * FEATURE_COUNT);
      const explained = explainAdditive('readiness', settings, params, x, baseline, FEATURE_COUNT);
      maxGap = Math.max(maxGap, Math.abs(explained.completenessGap));
      for (const field of CHECKED) {
        const item = WELLNESS_ITEMS.find((i) => i.field === field)!;
        const value = featureIndex(item.valueFeature);
        const z = featureIndex(item.zFeature);
        // Worse than usual: a lower answer than the typical day's, and below the athlete's own 28-day baseline.
        if (!(x[value]! < baseline[value]! && x[z]! < 0)) continue;
        checked++;
        const factor = explained.factors.find((f) => f.feature === item.valueFeature);
        if (factor && factor.attribution > 1e-9) raising++;
      }
    }
  }
  return { checked, raising, maxGap };
}

describe('explanations of the default readiness model (SoccerMon, pooled, 30 boosting rounds)', () => {
  const o = resolveOptions({ dataset: 'soccermon', task: 'readiness' });
  const cohort = buildCohort(loadSimDataset(o), { task: 'readiness', protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
  const pooled = pooledTraining(cohort);

  it('on held-out days where sleep quality, soreness, fatigue or stress is worse than usual, no attribution raises readiness', () => {
    const settings = DEFAULT_MODEL_SETTINGS.readiness;
    expect(settings.kind).toBe('additive');
    const params = fitAdditive('readiness', settings, initialAdditive(settings), pooled, 30);
    const r = violations(cohort, settings, params);
    console.log(`default (monotone) model: ${r.checked} item-days worse than usual, ${r.raising} attributions raising readiness; max completeness gap ${r.maxGap.toExponential(1)}`);
    expect(r.checked).toBeGreaterThan(500);
    expect(r.raising).toBe(0);
    expect(r.maxGap).toBeLessThan(1e-4);
  }, 60_000);

  it('the same check finds raising attributions in the unconstrained model, so it can fail', () => {
    const settings = { ...DEFAULT_MODEL_SETTINGS.readiness, monotone: false };
    const params = fitAdditive('readiness', settings, initialAdditive(settings), pooled, 30);
    const r = violations(cohort, settings, params);
    console.log(`unconstrained model: ${r.checked} item-days worse than usual, ${r.raising} attributions raising readiness`);
    expect(r.raising).toBeGreaterThan(0);
  }, 60_000);
});
