import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import { additiveMeanPredict, fitAdditive, fitTrees, initialAdditive, initialTrees, modelSpec, type TaskId } from '@huddle/shared/model';
import { taskExamples } from '@huddle/shared/data';
import { buildAthleteFeatures } from '@huddle/shared/features';
import { DEFAULT_MODEL_SETTINGS, defaultModelSettings } from '@huddle/shared/protocol';
import { Prng } from '@huddle/shared/random';
import { computeForecasts } from '../src/engine/forecast.ts';
import type { GlobalModel } from '../src/engine/modelFetch.ts';

function log(days: number): DailyLogRow[] {
  const rng = new Prng(4);
  const rows: DailyLogRow[] = [];
  let readiness = 6;
  for (let t = 0; t < days; t++) {
    const date = new Date(Date.UTC(2024, 0, 1 + t)).toISOString().slice(0, 10);
    const sleep = 1 + rng.int(5);
    readiness = Math.min(10, Math.max(0, Math.round(0.6 * readiness + 0.4 * (4 + sleep) + rng.uniform(-1, 1))));
    rows.push({
      athleteId: 'a', date, srpeLoad: 200 + rng.int(600), readiness, fatigue: 1 + rng.int(5), mood: 1 + rng.int(5), sleepQuality: sleep,
      soreness: 1 + rng.int(5), stress: 1 + rng.int(5), sleepHours: 6 + rng.uniform(0, 3), injury: t === 40 ? 1 : 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null,
    });
  }
  return rows;
}

describe('forecasts from the additive model on the device', () => {
  it('forecasts with exact factors against the typical day, and an unmeasured HRV contributes nothing', async () => {
    const rows = log(120);
    const features = buildAthleteFeatures(rows);
    const models: Partial<Record<TaskId, GlobalModel>> = {};
    for (const task of ['readiness', 'injury'] as const) {
      const settings = DEFAULT_MODEL_SETTINGS[task];
      const weights = fitAdditive(task, settings, initialAdditive(settings), taskExamples(features, task), 10);
      models[task] = { task, round: 10, spec: modelSpec(task, FEATURE_COUNT), model: settings, weights, source: 'download' };
    }
    const result = await computeForecasts({ rows, models });
    for (const task of ['readiness', 'injury'] as const) {
      const f = result.forecasts[task]!;
      expect(f.baseline).toBe('typical-day');
      expect(Math.abs(f.completenessGap)).toBeLessThan(1e-9);
      expect(f.factors.length).toBeGreaterThan(0);
      expect(f.factors.some((factor) => factor.feature === 'hrv_ln_delta' || factor.feature === 'hrv_missing')).toBe(false);
    }
    // The readiness model's mean forecast, from the same shared maths, rides beside the median; injury has none.
    const r = result.forecasts.readiness!;
    const last = buildAthleteFeatures(rows);
    const x = last.x.subarray((last.dates.length - 1) * FEATURE_COUNT, last.dates.length * FEATURE_COUNT);
    const m = models.readiness!;
    expect(r.expected).toBeCloseTo(Math.min(10, Math.max(0, additiveMeanPredict('readiness', m.model, m.weights, x, 1)![0]!)), 5);
    expect(r.expected).not.toBe(r.value);
    expect(result.forecasts.injury!.expected).toBeUndefined();
    expect(result.forecasts.injury!.value).toBeGreaterThan(0);
    expect(result.forecasts.injury!.value).toBeLessThan(1);
    expect(result.trend.predictedReadiness.filter((v) => v !== null).length).toBe(91); // 90 trend days and tomorrow
  });

  it('forecasts from boosted trees with factors that sum to the forecast minus the typical day', async () => {
    const rows = log(120);
    const features = buildAthleteFeatures(rows);
    const models: Partial<Record<TaskId, GlobalModel>> = {};
    for (const task of ['readiness', 'injury'] as const) {
      const settings = defaultModelSettings(task, 'trees');
      const weights = fitTrees(task, settings, initialTrees(settings), taskExamples(features, task), 3 * 6);
      models[task] = { task, round: 18, spec: modelSpec(task, FEATURE_COUNT), model: settings, weights, source: 'download' };
    }
    const result = await computeForecasts({ rows, models });
    for (const task of ['readiness', 'injury'] as const) {
      const f = result.forecasts[task]!;
      expect(f.baseline).toBe('typical-day');
      expect(Math.abs(f.completenessGap)).toBeLessThan(1e-6);
      expect(f.factors.some((factor) => factor.feature === 'hrv_ln_delta' || factor.feature === 'hrv_missing')).toBe(false);
      expect(f.expected).toBeUndefined();
    }
    // Readiness here follows yesterday's readiness and sleep quality; today sits below the typical day on readiness.
    const factors = result.forecasts.readiness!.factors;
    expect(factors[0]?.feature).toBe('readiness_value');
    expect(factors[0]!.attribution).toBeLessThan(0);
  });
});
