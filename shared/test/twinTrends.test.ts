import { describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber, type DailyLogRow } from '../src/log/index.ts';
import { loadTrends } from '../src/twin/index.ts';

const day = (i: number) => dateFromDayNumber(dayNumber('2024-01-01') + i);
const row = (i: number, srpeLoad: number | null): DailyLogRow => ({ athleteId: 'me', date: day(i), srpeLoad, readiness: null, fatigue: null, mood: null, sleepQuality: null, soreness: null, stress: null, sleepHours: null, injury: null, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null });

describe('loadTrends: fitness, fatigue, form and acute:chronic over the log (the twin maths)', () => {
  it('is flat at the steady load: fitness = fatigue = daily load, form 0, ratio 1 once 28 days are logged', () => {
    const t = loadTrends(Array.from({ length: 42 }, (_, i) => row(i, 300)));
    expect(t.dates).toHaveLength(42);
    expect(t.fitness.at(-1)).toBe(300);
    expect(t.fatigue.at(-1)).toBe(300);
    expect(t.form.at(-1)).toBe(0);
    expect(t.acwr.slice(0, 27).every((a) => a === null)).toBe(true);
    expect(t.acwr[27]).toBe(1);
  });

  it('decays with the time constants after training stops (fatigue faster: form turns positive)', () => {
    const rows = [...Array.from({ length: 56 }, (_, i) => row(i, 400)), ...Array.from({ length: 14 }, (_, i) => row(56 + i, 0))];
    const t = loadTrends(rows, { fitnessTau: 40, fatigueTau: 10 });
    // After 14 rest days: level x exp(-14 / tau) (the log started at steady state 4 weeks of 400).
    expect(t.fitness.at(-1)).toBeCloseTo(400 * Math.exp(-14 / 40), 0);
    expect(t.fatigue.at(-1)).toBeCloseTo(400 * Math.exp(-14 / 10), 0);
    expect(t.form.at(-1)).toBeGreaterThan(100);
    expect(t.acwr.at(-1)).toBeCloseTo(0, 5); // no load in the last 7 days
  });

  it('shows a spike week: acute:chronic above 1.3, fatigue above fitness (form negative)', () => {
    const rows = [...Array.from({ length: 42 }, (_, i) => row(i, 300)), ...Array.from({ length: 7 }, (_, i) => row(42 + i, 700))];
    const t = loadTrends(rows);
    expect(t.acwr.at(-1)!).toBeGreaterThan(1.3);
    expect(t.form.at(-1)!).toBeLessThan(0);
  });

  it('keeps unlogged days as gaps in the load series, filled in the curves, and handles an empty log', () => {
    const t = loadTrends([row(0, 300), row(1, null), row(3, 300)]);
    expect(t.dates).toEqual([day(0), day(1), day(2), day(3)]);
    expect(t.load).toEqual([300, null, null, 300]);
    expect(t.fitness.every((f) => Number.isFinite(f))).toBe(true);
    expect(loadTrends([]).dates).toEqual([]);
  });
});
