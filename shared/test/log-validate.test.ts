import { describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber, isCalendarDate, validateDailyLogRow } from '../src/log/index.ts';

const FORM = {
  athlete_id: ' a1 ', date: '2024-03-01', srpe_load: '450', readiness: '6.5', fatigue: '2', mood: 4, sleep_quality: '4',
  soreness: '', stress: '3', sleep_hours: '7.5', injury: '0', hrv_rmssd_ms: null, sex: undefined, sport: 'rugby',
};

describe('validateDailyLogRow', () => {
  it('accepts form input (strings or numbers, blanks as missing, trimmed text)', () => {
    expect(validateDailyLogRow(FORM)).toEqual({
      ok: true,
      row: {
        athleteId: 'a1', date: '2024-03-01', srpeLoad: 450, readiness: 6.5, fatigue: 2, mood: 4, sleepQuality: 4, soreness: null,
        stress: 3, sleepHours: 7.5, injury: 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: 'rugby',
      },
    });
  });

  it('accepts DailyLogRow field names; the column name wins when both are given', () => {
    const result = validateDailyLogRow({ athleteId: 'a1', date: '2024-03-01', sleepHours: 6, sleep_hours: 8, restingHrBpm: 55 });
    expect(result.ok && [result.row.sleepHours, result.row.restingHrBpm]).toEqual([8, 55]);
  });

  it('refuses the row whole and reports every bad field, without values', () => {
    const result = validateDailyLogRow({
      ...FORM, athlete_id: '', date: '2023-02-29', readiness: Number.NaN, fatigue: 4.5, mood: Number.POSITIVE_INFINITY,
      stress: true, sleep_hours: -3, injury: 1, resting_hr_bpm: '', sport: { toString: () => 'x' },
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'athlete_id', reason: 'required value is missing' },
        { field: 'date', reason: 'not a real calendar date' },
        { field: 'readiness', reason: 'not a finite number' },
        { field: 'fatigue', reason: 'must be a whole number from 1 to 5' },
        { field: 'mood', reason: 'not a finite number' },
        { field: 'stress', reason: 'not a number' },
        { field: 'sleep_hours', reason: 'out of range: must be from 0 to 24' },
        { field: 'sport', reason: 'must be text' },
      ],
    });
  });

  it('checks the date is a plausible real day', () => {
    const reason = (date: unknown) => {
      const result = validateDailyLogRow({ ...FORM, date });
      return result.ok ? 'ok' : result.errors[0]!.reason;
    };
    expect(reason('2024-02-29')).toBe('ok');
    expect(reason('2100-02-28')).toBe('ok');
    expect(reason('1900-02-29')).toBe('not a real calendar date');
    expect(reason('2024-04-31')).toBe('not a real calendar date');
    expect(reason('2024-00-10')).toBe('not a real calendar date');
    expect(reason('1899-12-31')).toBe('year out of range (1900-2100)');
    expect(reason('2024-3-1')).toBe('not a date in YYYY-MM-DD form');
    expect(reason(' 2024-03-01T00:00')).toBe('not a date in YYYY-MM-DD form');
    expect(reason(20240301)).toBe('not a date in YYYY-MM-DD form');
    expect(reason(undefined)).toBe('required value is missing');
  });

  it('normalises -0 to 0', () => {
    const result = validateDailyLogRow({ ...FORM, srpe_load: -0 });
    expect(result.ok && Object.is(result.row.srpeLoad, 0)).toBe(true);
  });
});

describe('calendar dates', () => {
  it('converts to and from day numbers', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
    expect(dateFromDayNumber(dayNumber('2000-02-29') + 1)).toBe('2000-03-01');
    expect(isCalendarDate('2024-02-30')).toBe(false);
    expect(() => dayNumber('2024-02-30')).toThrow(RangeError);
  });
});

describe('dateFromDayNumber', () => {
  it('agrees with the platform calendar on every day from 1900 to 2100', () => {
    const first = dayNumber('1900-01-01');
    const last = dayNumber('2100-12-31');
    for (let day = first; day <= last; day++) {
      const expected = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (dateFromDayNumber(day) !== expected) expect(dateFromDayNumber(day)).toBe(expected);
      if (dayNumber(expected) !== day) expect(dayNumber(expected)).toBe(day);
    }
    expect(last - first + 1).toBe(73_414);
  });
});
