import { describe, expect, it } from 'vitest';
import { DAILY_LOG_COLUMNS, formatDailyLogCsv, groupByAthlete, parseDailyLogCsv } from '../src/log/index.ts';
import type { DailyLogRow } from '../src/log/index.ts';

function row(athleteId: string, date: string, extra: Partial<DailyLogRow> = {}): DailyLogRow {
  return {
    athleteId, date, srpeLoad: 420, readiness: 6.5, fatigue: 3, mood: 4, sleepQuality: 2, soreness: 5, stress: 1, sleepHours: 7.25,
    injury: 0, hrvRmssdMs: 61.3, restingHrBpm: 48, sex: 'F', sport: 'football', ...extra,
  };
}

describe('formatDailyLogCsv', () => {
  it('writes the header with every column and nulls as empty cells', () => {
    const text = formatDailyLogCsv([row('a1', '2024-03-01', { srpeLoad: null, hrvRmssdMs: null, sex: null, sport: null })]);
    expect(text).toBe(`${DAILY_LOG_COLUMNS.join(',')}\na1,2024-03-01,,6.5,3,4,2,5,1,7.25,0,,48,,,,,\n`);
  });

  it('writes just the header for no rows', () => {
    expect(parseDailyLogCsv(formatDailyLogCsv([]))).toEqual({ rows: [], errors: [], warnings: [] });
  });

  it('round-trips: parse(format(rows)) gives the rows back', () => {
    const rows: DailyLogRow[] = [
      row('a1', '2024-02-29'),
      row('a1', '2024-03-01', { srpeLoad: 0, readiness: 0, injury: 1, sleepHours: 0 }),
      row('athlete, "quoted"', '2024-03-01', { sport: 'track, field', sex: 'say "x"' }),
      row('a2', '2099-12-31', {
        srpeLoad: null, readiness: null, fatigue: null, mood: null, sleepQuality: null, soreness: null, stress: null,
        sleepHours: null, injury: null, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null,
      }),
      row('a3', '1999-01-01', { srpeLoad: 0.1 + 0.2, readiness: 1e-7, hrvRmssdMs: 300, restingHrBpm: 20 }),
      row('a4', '2024-03-01', { srpeLoad: 10_000, readiness: 10, sleepHours: 24, hrvRmssdMs: 1, restingHrBpm: 150, sport: 'ü 漢字 😀' }),
    ];
    expect(parseDailyLogCsv(formatDailyLogCsv(rows))).toEqual({ rows, errors: [], warnings: [] });
  });
});

describe('groupByAthlete', () => {
  it('groups by athlete, sorts each by date, leaves the input alone', () => {
    const input = [row('b', '2024-03-03'), row('a', '2024-03-02'), row('b', '2023-12-31'), row('a', '2024-03-01'), row('b', '2024-01-10')];
    const before = input.map((r) => r.date);
    const groups = groupByAthlete(input);
    expect([...groups.keys()]).toEqual(['b', 'a']);
    expect(groups.get('b')!.map((r) => r.date)).toEqual(['2023-12-31', '2024-01-10', '2024-03-03']);
    expect(groups.get('a')!.map((r) => r.date)).toEqual(['2024-03-01', '2024-03-02']);
    expect(input.map((r) => r.date)).toEqual(before);
  });
});
