import { describe, expect, it } from 'vitest';
import type { TaskForecast } from '../src/engine/forecast.ts';
import { ADVICE, forecastBand, presentForecast } from '../src/ui/forecastView.ts';

const forecast = (o: Partial<TaskForecast> & Record<string, unknown> = {}): TaskForecast & Record<string, unknown> => ({
  task: 'readiness',
  fromDate: '2026-01-10',
  forDates: ['2026-01-11', '2026-01-11'],
  value: 6,
  baselineValue: 6.2,
  baseline: 'typical-day',
  modelRound: 4,
  modelSource: 'download',
  personalization: { used: false, labelledDays: 10, note: 'n' },
  factors: [],
  completenessGap: 0,
  ...o,
});
const quality = { metric: 'MAE', value: 0.9, low: 0.8, high: 1.0, days: 412 };

describe('forecast bands against the athlete’s own baseline', () => {
  it('readiness: amber from half a point below the usual, red from a point below', () => {
    expect(forecastBand('readiness', 7, 6.5)).toBe('green');
    expect(forecastBand('readiness', 6.1, 6.5)).toBe('green');
    expect(forecastBand('readiness', 6.0, 6.5)).toBe('amber');
    expect(forecastBand('readiness', 5.5, 6.5)).toBe('red');
  });
  it('injury: amber from 1.15x the usual risk, red from 1.5x', () => {
    expect(forecastBand('injury', 0.02, 0.02)).toBe('green');
    expect(forecastBand('injury', 0.023, 0.02)).toBe('amber');
    expect(forecastBand('injury', 0.03, 0.02)).toBe('red');
    expect(forecastBand('injury', 0.01, 0)).toBe('red');
  });
});

describe('what the forecast card shows', () => {
  it('says "not enough evidence yet" until the forecast says its model was validated', () => {
    expect(presentForecast(forecast())).toEqual({ kind: 'not-enough-evidence', reason: 'the team model (round 4) has not yet been validated on enough held-out days to trust its forecast' });
    expect(presentForecast(forecast({ validated: true })).kind).toBe('not-enough-evidence');
    expect(presentForecast(forecast({ validated: true, quality: { ...quality, days: 0 } })).kind).toBe('not-enough-evidence');
    expect(presentForecast(forecast({ validated: true, quality: { ...quality, value: Number.NaN } })).kind).toBe('not-enough-evidence');
    expect(presentForecast(forecast({ evidenceNote: 'only 3 test days so far' }))).toEqual({ kind: 'not-enough-evidence', reason: 'only 3 test days so far' });
  });
  it('gives band, one line of advice, the interval and the validated quality once validated', () => {
    const view = presentForecast(forecast({ validated: true, quality, value: 5, baselineValue: 6.5, interval: { low: 4, high: 6, level: 0.8 } }));
    expect(view).toEqual({ kind: 'evidence', band: 'red', label: 'Well below your usual', advice: ADVICE.readiness.red, interval: { low: 4, high: 6, level: 0.8 }, observed: null, quality });
  });
  it('drops an interval that does not contain the value', () => {
    const view = presentForecast(forecast({ validated: true, quality, interval: { low: 7, high: 8, level: 0.8 } }));
    expect(view.kind === 'evidence' && view.interval).toBeNull();
  });
  it('passes on the injury forecast’s observed risk, and drops a malformed one', () => {
    const observed = { fromRisk: 0.03, toRisk: 0.06, days: 400, positives: 16, rate: 0.04, low: 0.025, high: 0.064 };
    const base = { task: 'injury' as const, value: 0.045, baselineValue: 0.04, validated: true, quality: { ...quality, metric: 'Brier score', positives: 16 } };
    const view = presentForecast(forecast({ ...base, observed }));
    expect(view.kind === 'evidence' && view.observed).toEqual(observed);
    const bad = presentForecast(forecast({ ...base, observed: { ...observed, low: 0.05 } }));
    expect(bad.kind === 'evidence' && bad.observed).toBeNull();
  });
});
