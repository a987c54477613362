import { describe, expect, it } from 'vitest';
import { parseFitbitTakeout, parseOuraCsv } from '../src/import/index.ts';
import { sampleFitbitHrvCsv, sampleFitbitRestingHeartRate, sampleFitbitSleep, sampleOuraCsv } from './helpers/fitbitOuraSamples.ts';

describe('Fitbit / Google Takeout import', () => {
  it('reads resting heart rate (MM/DD/YY), skipping days Fitbit wrote as 0 and refusing out-of-range ones', () => {
    const r = parseFitbitTakeout([{ name: 'resting_heart_rate-2024-03-01.json', text: sampleFitbitRestingHeartRate() }]);
    expect(r.days).toEqual([
      { date: '2024-03-01', restingHrBpm: 52.41, hrvRmssdMs: null, sleepHours: null },
      { date: '2024-03-02', restingHrBpm: 50.87, hrvRmssdMs: null, sleepHours: null },
    ]);
    expect(r.errors).toEqual([{ row: 4, field: 'resting_hr_bpm', reason: 'out of range: must be from 20 to 150' }]);
    expect(r.warnings).toEqual([{ row: 1, field: 'resting_hr_bpm', reason: '1 day without a resting heart rate (Fitbit writes 0): skipped' }]);
  });

  it('sums every sleep of a dateOfSleep (main sleep and nap) and names the broken entry', () => {
    const r = parseFitbitTakeout([{ name: 'sleep-2024-03-01.json', text: sampleFitbitSleep() }]);
    expect(r.days.map((d) => [d.date, d.sleepHours])).toEqual([['2024-03-01', 6.75], ['2024-03-02', 8]]);
    expect(r.errors).toEqual([{ row: 4, field: 'sleep_hours', reason: 'not a sleep entry (minutesAsleep: expected number)' }]);
  });

  it('reads the HRV summary CSV (RMSSD) and the Web API HRV JSON', () => {
    const csv = parseFitbitTakeout([{ name: 'Daily Heart Rate Variability Summary - 2024-03-(01).csv', text: sampleFitbitHrvCsv() }]);
    expect(csv.days.map((d) => [d.date, d.hrvRmssdMs])).toEqual([['2024-03-01', 61.53], ['2024-03-02', 58.25]]);
    expect(csv.errors).toEqual([{ row: 4, field: 'hrv_rmssd_ms', reason: 'rmssd is not a number' }]);
    const api = parseFitbitTakeout([{ name: 'hrv.json', text: JSON.stringify({ hrv: [{ dateTime: '2024-03-05', value: { dailyRmssd: 40.2, deepRmssd: 45 } }] }) }]);
    expect(api.days).toEqual([{ date: '2024-03-05', restingHrBpm: null, hrvRmssdMs: 40.2, sleepHours: null }]);
  });

  it('merges several Takeout files into days, each problem naming its file', () => {
    const r = parseFitbitTakeout([
      { name: 'resting_heart_rate-2024-03-01.json', text: sampleFitbitRestingHeartRate() },
      { name: 'sleep-2024-03-01.json', text: sampleFitbitSleep() },
      { name: 'hrv.csv', text: sampleFitbitHrvCsv() },
    ]);
    expect(r.days).toEqual([
      { date: '2024-03-01', restingHrBpm: 52.41, hrvRmssdMs: 61.53, sleepHours: 6.75 },
      { date: '2024-03-02', restingHrBpm: 50.87, hrvRmssdMs: 58.25, sleepHours: 8 },
    ]);
    expect(r.errors.map((e) => e.reason.split(':')[0])).toEqual(['resting_heart_rate-2024-03-01.json', 'sleep-2024-03-01.json', 'hrv.csv']);
  });

  it('refuses malformed files with a clear reason and invents no day', () => {
    const one = (name: string, text: string) => parseFitbitTakeout([{ name, text }]);
    expect(one('x.json', '[{"dateTime": "03/01/24"')).toEqual({ days: [], errors: [{ row: 1, field: '(file)', reason: 'not valid JSON' }], warnings: [] });
    expect(one('x.json', '{"steps": 3}').errors).toEqual([{ row: 1, field: '(file)', reason: 'not a Fitbit export file (expected a list of entries)' }]);
    expect(one('x.json', '[{"steps": 3}]').errors).toEqual([{ row: 1, field: '(file)', reason: 'not a Fitbit resting heart rate, sleep or HRV file' }]);
    expect(one('x.csv', 'date,value\n2024-03-01,3\n').errors).toEqual([{ row: 1, field: '(file)', reason: 'an HRV summary needs the columns timestamp and rmssd' }]);
    expect(one('r.json', JSON.stringify([{ dateTime: '2024-03-01 00:00:00', value: { date: '2024-03-01', value: 50 } }])).errors).toEqual([{ row: 1, field: 'date', reason: 'date is not "MM/DD/YY"' }]);
    expect(one('x.json', '[]')).toEqual({ days: [], errors: [], warnings: [{ row: 1, field: '(file)', reason: 'the file has no entries' }] });
  });
});

describe('Oura CSV import (papaparse)', () => {
  it('takes sleep (seconds -> hours), lowest resting heart rate and average HRV per day; bad rows refused whole by line', () => {
    const r = parseOuraCsv(sampleOuraCsv());
    expect(r.days).toEqual([
      { date: '2024-03-01', restingHrBpm: 49, hrvRmssdMs: 71, sleepHours: 7.5 },
      { date: '2024-03-02', restingHrBpm: 51, hrvRmssdMs: 64, sleepHours: 7 },
    ]);
    expect(r.errors).toEqual([
      { row: 4, field: 'hrv_rmssd_ms', reason: 'out of range: must be from 1 to 300' },
      { row: 5, field: 'date', reason: 'not a date in YYYY-MM-DD form' },
    ]);
  });

  it('falls back to the average resting heart rate when the lowest is not exported', () => {
    const r = parseOuraCsv('date,Average Resting Heart Rate\n2024-03-01,55.5\n');
    expect(r.days).toEqual([{ date: '2024-03-01', restingHrBpm: 55.5, hrvRmssdMs: null, sleepHours: null }]);
  });

  it('refuses files that are not Oura exports, short lines and unreadable cells, with clear reasons', () => {
    expect(parseOuraCsv('athlete_id,day\n').errors).toEqual([{ row: 1, field: '(header)', reason: 'no "date" column: is this Oura’s CSV export?' }]);
    expect(parseOuraCsv('date,Steps\n2024-03-01,300\n').errors).toEqual([{ row: 1, field: '(header)', reason: 'none of the columns "Total Sleep Duration", "Lowest Resting Heart Rate", "Average HRV"' }]);
    const r = parseOuraCsv('date,Total Sleep Duration,Average HRV\n2024-03-01,27000\n2024-03-02,7h,60\n2024-03-03,25200,61\n');
    expect(r.errors).toEqual([
      { row: 2, field: '(row)', reason: 'the line does not have the header’s cells' },
      { row: 3, field: 'sleep_hours', reason: 'not a number' },
    ]);
    expect(r.days).toEqual([{ date: '2024-03-03', restingHrBpm: null, hrvRmssdMs: 61, sleepHours: 7 }]);
  });
});
