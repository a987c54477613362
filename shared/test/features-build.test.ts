import { describe, expect, it } from 'vitest';
import { buildAthleteFeatures, FEATURE_COUNT, featureValue } from '../src/features/index.ts';
import type { DailyLogRow } from '../src/log/index.ts';

type Day = [date: string, load: number | null, readiness: number | null, fatigue: number | null, mood: number | null,
  sleepQuality: number | null, soreness: number | null, stress: number | null, sleep: number | null, injury: 0 | 1 | null,
  hrv: number | null, restingHr: number | null];

function rows(days: readonly Day[], athleteId = 'a1'): DailyLogRow[] {
  return days.map(([date, srpeLoad, readiness, fatigue, mood, sleepQuality, soreness, stress, sleepHours, injury, hrvRmssdMs, restingHrBpm]) => ({
    athleteId, date, srpeLoad, readiness, fatigue, mood, sleepQuality, soreness, stress, sleepHours, injury, hrvRmssdMs, restingHrBpm,
    sex: null, sport: null,
  }));
}

// The worked example: 2024-03-03 (day 2) has no row; 2024-03-06 (day 6) has no load and no mood. Given out of order.
const EXAMPLE = rows([
  ['2024-03-08', 800, 9, 4, 4, 4, 4, 2, 6, 0, 70, 56],
  ['2024-03-01', 500, 7, 3, 4, 4, 2, 2, 8, 0, null, null],
  ['2024-03-02', 0, 6, 3, 4, 3, 3, 2, 7, 1, null, 52],
  ['2024-03-04', 600, 8, 3, 3, 4, 2, 3, 8.5, 0, 60, 50],
  ['2024-03-05', 700, 5, 3, 4, 4, 2, 2, 7.5, 0, 55, 51],
  ['2024-03-06', 400, 7, 3, 4, 5, 3, 2, 8, 0, 65, 49],
  ['2024-03-07', null, 6, 3, null, 4, 2, 2, 8, 0, 50, 50],
]);

describe('buildAthleteFeatures on the worked example (hand-computed)', () => {
  const f = buildAthleteFeatures(EXAMPLE);
  const at = (t: number, name: string) => featureValue(f, t, name);

  it('lays the rows on consecutive calendar days', () => {
    expect(f.athleteId).toBe('a1');
    expect(f.dates).toEqual(['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08']);
    expect(f.hasReport).toEqual([true, true, false, true, true, true, true, true]);
    expect(f.x).toHaveLength(8 * FEATURE_COUNT);
  });

  it('load features on day 7', () => {
    expect(at(7, 'load_today')).toBeCloseTo(1.25, 6); // (800 - 300) / 400
    expect(at(7, 'load_acute_ewma')).toBeCloseTo(0.23556137, 6); // (394.2245483 - 300) / 400
    expect(at(7, 'load_chronic_ewma')).toBeCloseTo(-0.32488045, 6); // (170.0478191 - 300) / 400
    expect(at(7, 'load_ewma_ratio')).toBeCloseTo(2.63663163, 5); // (2.3183158 - 1) / 0.5
    expect(at(7, 'load_acwr_7_28')).toBe(3); // (3.3333 - 1) / 0.5 = 4.67, clamped to 3
    expect(at(7, 'load_monotony')).toBeCloseTo(-0.49462362, 6); // 1.0053764 - 1.5
    expect(at(7, 'load_strain')).toBeCloseTo(-0.24327952, 6); // (2513.4409571 - 3000) / 2000
    expect(at(7, 'load_missing_today')).toBe(0);
    expect(at(7, 'load_unknown_28d')).toBeCloseTo(22 / 28, 6); // 20 days before the log + days 2 and 6
  });

  it('imputes an unknown load with the previous known-load mean and flags it', () => {
    expect(at(6, 'load_today')).toBeCloseTo(0.35, 6); // mean(500, 0, 600, 700, 400) = 440 -> (440 - 300) / 400
    expect(at(6, 'load_missing_today')).toBe(1);
    expect(at(2, 'load_today')).toBe(0); // only 2 known loads before day 2: no baseline, the scale's center
    expect(at(2, 'load_missing_today')).toBe(1);
  });

  it('wellness values and z-scores on day 7', () => {
    expect(at(7, 'readiness_value')).toBeCloseTo(1.6, 6); // (9 - 5) / 2.5
    expect(at(7, 'readiness_z')).toBeCloseTo(2.3836565, 5); // (9 - 6.5) / 1.0488088
    expect(at(7, 'fatigue_value')).toBe(1); // (4 - 3) / 1
    expect(at(7, 'fatigue_z')).toBe(2); // baseline all 3s: SD floor 0.5 -> (4 - 3) / 0.5
    expect(at(7, 'soreness_z')).toBe(3); // (4 - 2.3333) / 0.5164 = 3.23, clamped
    expect(at(7, 'sleep_hours_value')).toBe(-1); // (6 - 8) / 2
    expect(at(7, 'sleep_hours_z')).toBe(-3); // (6 - 7.8333) / max(0.5164, 0.5) = -3.55, clamped
    expect(at(7, 'wellness_missing')).toBe(0);
  });

  it('multi-day history: lags, trailing means (today included) and the expanding mean', () => {
    expect(at(7, 'readiness_lag1')).toBeCloseTo(0.4, 6); // day 6: 6 -> (6 - 5) / 2.5
    expect(at(7, 'readiness_lag2')).toBeCloseTo(0.8, 6); // day 5: 7
    expect(at(7, 'readiness_mean_3d')).toBeCloseTo((22 / 3 - 5) / 2.5, 5); // 7, 6, 9
    expect(at(7, 'readiness_mean_7d')).toBeCloseTo((41 / 6 - 5) / 2.5, 5); // days 1-7, the gap day skipped
    expect(at(7, 'readiness_mean_all')).toBeCloseTo((48 / 7 - 5) / 2.5, 5);
    expect(at(3, 'readiness_lag1')).toBeCloseTo(0.6, 6); // the gap day reads as the expanding mean so far (6.5)
    expect(at(0, 'readiness_lag1')).toBe(0); // before the log: the scale's center
    expect(at(7, 'mood_mean_3d')).toBe(1); // 4, unanswered, 4
    expect(at(7, 'sleep_hours_mean_3d')).toBeCloseTo((22 / 3 - 8) / 2, 5); // 8, 8, 6
  });

  it('imputes a missing answer with the baseline mean and gives it z = 0', () => {
    expect(at(6, 'mood_value')).toBeCloseTo(0.8, 6); // mean(4, 4, 3, 4, 4) = 3.8 -> (3.8 - 3) / 1
    expect(at(6, 'mood_z')).toBe(0);
    expect(at(6, 'wellness_missing')).toBeCloseTo(1 / 7, 6);
    expect(at(2, 'wellness_missing')).toBe(1); // the gap day
    expect(at(2, 'readiness_value')).toBeCloseTo(0.6, 6); // 2 answers before: no baseline, the mean of all earlier answers (6.5)
    expect(at(1, 'readiness_z')).toBe(0); // no baseline yet
  });

  it('days since injury', () => {
    expect(at(0, 'days_since_injury')).toBe(1); // never injured yet
    expect(at(0, 'no_injury_logged')).toBe(1);
    expect(at(1, 'days_since_injury')).toBe(0); // injured today
    expect(at(1, 'no_injury_logged')).toBe(0);
    expect(at(7, 'days_since_injury')).toBeCloseTo(0.32966814, 6); // ln 7 / ln 366
  });

  it('HRV and resting HR against the previous 7 days', () => {
    expect(at(7, 'hrv_ln_delta')).toBeCloseTo(2.0147324, 5); // (ln 70 - 4.0470220) / 0.1
    expect(at(6, 'hrv_ln_delta')).toBeCloseTo(-1.7999867, 5); // (ln 50 - mean(ln 60, ln 55, ln 65)) / 0.1
    expect(at(7, 'hrv_missing')).toBe(0);
    expect(at(5, 'hrv_ln_delta')).toBe(0); // only 2 earlier measurements
    expect(at(5, 'hrv_missing')).toBe(1);
    expect(at(7, 'rhr_delta')).toBeCloseTo(1.12, 6); // 56 - mean(52, 50, 51, 49, 50) = 56 - 50.4 = 5.6 -> / 5
    expect(at(7, 'rhr_missing')).toBe(0);
    expect(at(3, 'rhr_missing')).toBe(1); // one earlier measurement
  });

  it('labels: injury within the next 7 days, next-day readiness', () => {
    expect(f.injuryLabel).toEqual([1, null, null, null, null, null, null, null]);
    expect(f.readinessLabel).toEqual([6, null, 8, 5, 7, 6, 9, null]);
  });
});

describe('labels on a longer log', () => {
  // 12 days; no row on day 5; injuries reported on days 9 and 11; readiness missing on day 4.
  const days: Day[] = [];
  for (let t = 0; t < 12; t++) {
    if (t === 5) continue;
    const date = `2024-05-${String(t + 1).padStart(2, '0')}`;
    days.push([date, 300, t === 4 ? null : t % 10, 3, 3, 3, 3, 3, 8, t === 9 || t === 11 ? 1 : 0, null, null]);
  }
  const f = buildAthleteFeatures(rows(days));

  it('injury within days t+1..t+7; unlogged days inside the log count as no injury; null only past the end', () => {
    // t=0: days 1..7 -> 0; t=1: 2..8 -> 0; t=2..8 reach day 9 -> 1; t=9, 10 reach day 11 -> 1; t=11: window past the end -> null
    expect(f.injuryLabel).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, null]);
  });

  it('next-day readiness, null when missing or at the end', () => {
    expect(f.readinessLabel).toEqual([1, 2, 3, null, null, 6, 7, 8, 9, 0, 1, null]);
  });

  it('an injury-free stretch at the end gives nulls for the unobserved windows', () => {
    const quiet = buildAthleteFeatures(rows(days.slice(0, 8))); // days 0..8 without day 5: no injury at all
    expect(quiet.injuryLabel).toEqual([0, 0, null, null, null, null, null, null, null]);
  });
});

describe('buildAthleteFeatures: contract', () => {
  it('returns an empty result for no rows', () => {
    const f = buildAthleteFeatures([]);
    expect(f).toEqual({ athleteId: '', dates: [], x: new Float32Array(0), injuryLabel: [], readinessLabel: [], hasReport: [] });
  });

  it('refuses rows of several athletes, duplicate days and invalid dates', () => {
    const two = [...rows(EXAMPLE.slice(0, 1).map(() => ['2024-03-01', 1, 1, 1, 1, 1, 1, 1, 1, 0, null, null] as Day)), ...rows([['2024-03-02', 1, 1, 1, 1, 1, 1, 1, 1, 0, null, null]], 'b')];
    expect(() => buildAthleteFeatures(two)).toThrow(RangeError);
    expect(() => buildAthleteFeatures([EXAMPLE[0]!, EXAMPLE[0]!])).toThrow(RangeError);
    expect(() => buildAthleteFeatures([{ ...EXAMPLE[0]!, date: '2024-02-30' }])).toThrow(RangeError);
  });

  it('keeps every feature finite and within [-3, 3], even for extreme or empty days', () => {
    const extreme = rows([
      ['2024-01-01', 10_000, 0, 5, 1, 1, 5, 5, 24, 1, 300, 150],
      ['2024-01-02', null, null, null, null, null, null, null, null, null, null, null],
      ['2024-01-03', 0, 10, 1, 5, 5, 1, 1, 0, 0, 1, 20],
      ['2024-03-30', 10_000, 10, 5, 5, 5, 5, 5, 0, 0, 1, 150],
    ]);
    const f = buildAthleteFeatures(extreme);
    expect(f.dates).toHaveLength(90);
    for (const v of f.x) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v)).toBeLessThanOrEqual(3);
    }
  });

  it('treats non-finite numbers in hand-made rows as missing', () => {
    const f = buildAthleteFeatures([{ ...EXAMPLE[1]!, srpeLoad: Number.NaN, readiness: Number.POSITIVE_INFINITY }]);
    expect(featureValue(f, 0, 'load_missing_today')).toBe(1);
    expect(featureValue(f, 0, 'readiness_value')).toBe(0);
    expect(f.readinessLabel).toEqual([null]);
  });

  it('builds 50 athletes x 730 days well under a second', () => {
    const athletes = Array.from({ length: 50 }, (_, a) => {
      const out: DailyLogRow[] = [];
      for (let t = 0; t < 730; t++) {
        if ((t * 7 + a) % 11 === 0) continue;
        const date = new Date(Date.UTC(2022, 0, 1 + t)).toISOString().slice(0, 10);
        out.push(...rows([[date, (t * 37 + a) % 900, (t + a) % 11, 1 + (t % 5), 3, 3, 2, 2, 7 + (t % 3), t % 97 === 0 ? 1 : 0, 40 + (t % 30), 45 + (t % 10)]], `a${a}`));
      }
      return out;
    });
    let days = 0;
    for (const athlete of athletes) days += buildAthleteFeatures(athlete).dates.length;
    expect(days).toBeGreaterThan(50 * 700);
  });
});
