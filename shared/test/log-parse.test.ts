import { describe, expect, it } from 'vitest';
import { parseDailyLogCsv } from '../src/log/index.ts';
import type { DailyLogRow } from '../src/log/index.ts';

const HEADER = 'athlete_id,date,srpe_load,readiness,fatigue,mood,sleep_quality,soreness,stress,sleep_hours,injury,hrv_rmssd_ms,resting_hr_bpm,sex,sport,coach_note';

function good(athleteId: string, date: string): string {
  return `${athleteId},${date},450,7,2,4,4,2,2,7.5,0,65,52,F,rugby,`;
}

const BAD_FILE = [
  HEADER, //                                                                    line 1
  good('a1', '2024-03-01'), //                                                  line 2: kept
  'a1,2024-03-02,450,987.5,2,4,4,2,2,7.5,0,65,52,F,rugby,', //                  line 3: readiness out of range
  'a1,2024-03-03,450,7,3.5,4,4,2,zzqx,7.5,0,65,52,F,rugby,', //                 line 4: decimal Likert, not a number
  'a1,2024-03-04,450,7,2,4,4,2,2,1e999,0,65,52,F,rugby,', //                    line 5: not finite
  'a1,2024-02-30,450,7,2,4,4,2,2,7.5,0,65,52,F,rugby,', //                      line 6: not a calendar date
  ',2024-03-05,450,7,2,4,4,2,2,7.5,0,65,52,F,rugby,', //                        line 7: missing athlete_id
  'a1,2024-03-01,300,6,2,4,4,2,2,8,0,,,,,', //                                  line 8: duplicate of line 2
  'a1,2024-03-06,450,7,2,4,4,2,2,7.5,7,4321,9.25,F,rugby,', //                  line 9: injury, HRV, resting HR
  'a1,2024-03-07,-777,7,2,4,4,2,2,7.5,0,65,52,F,rugby,', //                     line 10: negative load
  '', //                                                                        line 11: blank, skipped
  good('a2', '2024-03-01'), //                                                  line 12: kept
  'a2,2024-03-02,450,7,2,4,4,2,2,7.5,0,65,52,F,"secret', //                     line 13: quoted cell over 2 lines
  'sport",', //                                                                 line 14
  good('a3', '2024-03-01'), //                                                  line 15: kept
  'secretAthlete42,2024/03/01,450,7,2,4,4,2,2,7.5,0,65,52,F,=cmd|x,', //        line 16: date format, formula
  'a3,2024-03-02,450,7', //                                                     line 17: too few cells
  ' , , ,,,,,,,,,,,,,', //                                                      line 18: all blank, skipped
  good('a3', '2024-03-03'), //                                                  line 19: kept
].join('\n');

const RAW_BAD_VALUES = ['987.5', '3.5', 'zzqx', '1e999', '2024-02-30', '4321', '9.25', '-777', 'secret', 'secretAthlete42', '2024/03/01', '=cmd'];

describe('parseDailyLogCsv: a file with several kinds of bad rows', () => {
  const result = parseDailyLogCsv(BAD_FILE);

  it('keeps exactly the good rows', () => {
    expect(result.rows.map((r) => `${r.athleteId} ${r.date}`)).toEqual(['a1 2024-03-01', 'a2 2024-03-01', 'a3 2024-03-01', 'a3 2024-03-03']);
    expect(result.rows[0]).toEqual<DailyLogRow>({
      athleteId: 'a1', date: '2024-03-01', srpeLoad: 450, readiness: 7, fatigue: 2, mood: 4, sleepQuality: 4, soreness: 2, stress: 2,
      sleepHours: 7.5, injury: 0, hrvRmssdMs: 65, restingHrBpm: 52, sex: 'F', sport: 'rugby',
    });
  });

  it('names each bad row by its line in the file, with field and reason', () => {
    expect(result.errors).toEqual([
      { row: 3, field: 'readiness', reason: 'out of range: must be from 0 to 10' },
      { row: 4, field: 'fatigue', reason: 'must be a whole number from 1 to 5' },
      { row: 4, field: 'stress', reason: 'not a number' },
      { row: 5, field: 'sleep_hours', reason: 'not a finite number' },
      { row: 6, field: 'date', reason: 'not a real calendar date' },
      { row: 7, field: 'athlete_id', reason: 'required value is missing' },
      { row: 8, field: 'date', reason: 'duplicate athlete-day: same athlete_id and date as row 2' },
      { row: 9, field: 'injury', reason: 'must be 0 or 1' },
      { row: 9, field: 'hrv_rmssd_ms', reason: 'out of range: must be from 1 to 300' },
      { row: 9, field: 'resting_hr_bpm', reason: 'out of range: must be from 20 to 150' },
      { row: 10, field: 'srpe_load', reason: 'out of range: must be from 0 to 10000' },
      { row: 13, field: 'sport', reason: 'contains control characters' },
      { row: 16, field: 'date', reason: 'not a date in YYYY-MM-DD form' },
      { row: 16, field: 'sport', reason: 'must not start with =, +, - or @ (spreadsheet formula)' },
      { row: 17, field: '(row)', reason: 'has 4 cells but the header has 16' },
    ]);
  });

  it('warns about the unknown column without refusing rows', () => {
    expect(result.warnings).toEqual([{ row: 1, field: 'coach_note', reason: "unknown column 'coach_note' ignored" }]);
  });

  it('never echoes a raw value', () => {
    const report = JSON.stringify([result.errors, result.warnings]);
    for (const raw of RAW_BAD_VALUES) expect(report).not.toContain(raw);
    for (const e of [...result.errors, ...result.warnings]) expect(Object.keys(e).sort()).toEqual(['field', 'reason', 'row']);
  });
});

describe('parseDailyLogCsv: header and layout', () => {
  it('refuses the whole file with one row-1 error when required columns are missing', () => {
    const result = parseDailyLogCsv('athlete_id,date,srpe_load\na1,2024-03-01,300\n');
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([
      { row: 1, field: '(header)', reason: 'missing required columns: readiness, fatigue, mood, sleep_quality, soreness, stress, sleep_hours, injury' },
    ]);
  });

  it('does not echo the first line as column names when it is not a header', () => {
    const result = parseDailyLogCsv('secretAthlete42,2024-03-01,300\n');
    expect(result.errors).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain('secretAthlete42');
    expect(result.warnings.map((w) => w.field)).toEqual(['column 1', 'column 2', 'column 3']);
  });

  it('reports an empty file', () => {
    expect(parseDailyLogCsv('')).toEqual({ rows: [], errors: [{ row: 1, field: '(header)', reason: 'no column names on the header line (empty file?)' }], warnings: [] });
  });

  it('refuses a file that gives a known column twice', () => {
    const result = parseDailyLogCsv(`${HEADER},readiness\n${good('a1', '2024-03-01')},7\n`);
    expect(result.rows).toEqual([]);
    expect(result.errors).toEqual([{ row: 1, field: 'readiness', reason: 'column appears more than once in the header' }]);
  });

  it('accepts any column order, CRLF, a BOM, trimmed header names and missing optional columns', () => {
    const text = '\uFEFF injury ,date,athlete_id,srpe_load,readiness,fatigue,mood,sleep_quality,soreness,stress,sleep_hours\r\n1,2024-03-01,a1,,7,2,4,4,2,2,\r\n';
    const result = parseDailyLogCsv(text);
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([{
      athleteId: 'a1', date: '2024-03-01', srpeLoad: null, readiness: 7, fatigue: 2, mood: 4, sleepQuality: 4, soreness: 2, stress: 2,
      sleepHours: null, injury: 1, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null,
    }]);
  });

  it('counts leading blank lines and multi-line quoted cells when numbering rows', () => {
    const text = ['', '', HEADER, good('a1', '2024-03-01'), 'a1,2024-03-02,"1', '2",7,2,4,4,2,2,7.5,0,,,,,', 'a1,bad,450,7,2,4,4,2,2,7.5,0,,,,,'].join('\r\n');
    const result = parseDailyLogCsv(text);
    expect(result.rows).toHaveLength(1);
    expect(result.errors).toEqual([
      { row: 5, field: 'srpe_load', reason: 'not a number' },
      { row: 7, field: 'date', reason: 'not a date in YYYY-MM-DD form' },
    ]);
  });

  it('reports an unterminated quote once, on the row where it starts', () => {
    const text = [HEADER, good('a1', '2024-03-01'), 'a1,2024-03-02,"450,7', good('a1', '2024-03-03')].join('\n');
    const result = parseDailyLogCsv(text);
    expect(result.rows).toHaveLength(1);
    expect(result.errors).toEqual([{ row: 3, field: '(row)', reason: 'unterminated quoted cell: the rest of the file was read into this row' }]);
  });

  it('tolerates extra blank cells but refuses extra non-blank ones', () => {
    const text = [HEADER, `${good('a1', '2024-03-01')},,`, `${good('a1', '2024-03-02')},x`].join('\n');
    const result = parseDailyLogCsv(text);
    expect(result.rows.map((r) => r.date)).toEqual(['2024-03-01']);
    expect(result.errors).toEqual([{ row: 3, field: '(row)', reason: 'has 17 cells but the header has 16' }]);
  });
});
