import { describe, expect, it } from 'vitest';
import { DAILY_LOG_COLUMNS, parseDailyLogCsv } from '@huddle/shared/log';

/** The first 15 columns (the row below fills those; the injury-detail columns are tested in log-injuryDetails). */
const HEADER = DAILY_LOG_COLUMNS.slice(0, 15).join(',');
const ROW = 'a1,2024-03-01,300,7,2,4,3,2,2,7.5,0,65,52,female,football';

describe('parseDailyLogCsv: header hints', () => {
  it('tells a semicolon-separated file to use commas', () => {
    const result = parseDailyLogCsv(`${HEADER.replaceAll(',', ';')}\n${ROW.replaceAll(',', ';')}\n`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ row: 1, field: '(header)', reason: 'the file looks semicolon-separated; use commas (the daily-log format is comma-separated)' }]);
  });

  it('tells a tab-separated file to use commas', () => {
    const result = parseDailyLogCsv(`${HEADER.replaceAll(',', '\t')}\n${ROW.replaceAll(',', '\t')}\n`);
    expect(result.errors).toEqual([{ row: 1, field: '(header)', reason: 'the file looks tab-separated; use commas (the daily-log format is comma-separated)' }]);
  });

  it('names a renamed required column and the column it stands for', () => {
    const result = parseDailyLogCsv(`${HEADER.replace('sleep_hours', 'sleep_hrs')}\n${ROW}\n`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ row: 1, field: '(header)', reason: "missing required columns: sleep_hours (is 'sleep_hrs' meant to be 'sleep_hours'?)" }]);
  });

  it('names an unknown optional column with the column it most likely means, and still reads the rows', () => {
    const result = parseDailyLogCsv(`${HEADER.replace('resting_hr_bpm', 'resting_hr')}\n${ROW}\n`);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.restingHrBpm).toBeNull();
    expect(result.warnings).toEqual([{ row: 1, field: 'resting_hr', reason: "unknown column 'resting_hr' ignored (did you mean 'resting_hr_bpm'?)" }]);
  });

  it('matches a capitalised header name to its column', () => {
    const result = parseDailyLogCsv(`${HEADER.replace('date', 'Date')}\n${ROW}\n`);
    expect(result.errors[0]?.reason).toBe("missing required columns: date (is 'Date' meant to be 'date'?)");
  });

  it('suggests nothing for a column unlike any known one', () => {
    const result = parseDailyLogCsv(`${HEADER},coach_note\n${ROW},ok\n`);
    expect(result.rows).toHaveLength(1);
    expect(result.warnings).toEqual([{ row: 1, field: 'coach_note', reason: "unknown column 'coach_note' ignored" }]);
  });

  it('still reads a comma-separated file whose text cells contain semicolons', () => {
    const result = parseDailyLogCsv(`${HEADER}\n${ROW.replace('football', '"football; wing"')}\n`);
    expect(result.errors).toEqual([]);
    expect(result.rows[0]?.sport).toBe('football; wing');
  });
});
