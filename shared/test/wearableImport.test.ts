import { describe, expect, it } from 'vitest';
import { AppleHealthReader, parseAppleHealthXml, parseFitWellness } from '../src/import/index.ts';
import { SAMPLE_FIT_SLEEP_HOURS, sampleAppleHealthXml, sampleFitFile } from './helpers/wearableSamples.ts';

describe('Garmin FIT wellness import (decoded with @garmin/fitsdk)', () => {
  it('turns resting heart rate, last night’s HRV and asleep time into daily-log days', () => {
    const r = parseFitWellness(sampleFitFile());
    expect(r.errors).toEqual([]);
    expect(r.days).toEqual([
      { date: '2024-03-01', restingHrBpm: 52, hrvRmssdMs: null, sleepHours: null },
      { date: '2024-03-02', restingHrBpm: 49, hrvRmssdMs: 64.5, sleepHours: SAMPLE_FIT_SLEEP_HOURS },
    ]);
  });

  it('refuses a file that is not FIT, saying why', () => {
    const r = parseFitWellness(new TextEncoder().encode('athlete_id,date\n'));
    expect(r.days).toEqual([]);
    expect(r.errors).toEqual([{ row: 1, field: '(file)', reason: 'not a FIT file (no ".FIT" header)' }]);
  });

  it('reports a damaged file (truncated) instead of inventing days', () => {
    const bytes = sampleFitFile();
    const r = parseFitWellness(bytes.slice(0, bytes.length - 40));
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.errors[0]!.reason).toMatch(/damaged/);
  });
});

describe('Apple Health export.xml import (streamed through saxes)', () => {
  it('keeps resting heart rate and asleep stages, skips in-bed and awake time, and reports bad records by number', () => {
    const r = parseAppleHealthXml(sampleAppleHealthXml());
    expect(r.days).toEqual([
      { date: '2024-03-01', restingHrBpm: 54, hrvRmssdMs: null, sleepHours: null },
      { date: '2024-03-02', restingHrBpm: 53, hrvRmssdMs: null, sleepHours: 7.25 },
    ]);
    expect(r.errors).toEqual([
      { row: 9, field: 'resting_hr_bpm', reason: 'out of range: must be from 20 to 150' },
      { row: 10, field: 'date', reason: 'startDate is not "YYYY-MM-DD hh:mm:ss +zzzz"' },
    ]);
    expect(r.warnings).toEqual([{ row: 3, field: 'hrv_rmssd_ms', reason: 'Apple Health records HRV as SDNN, not RMSSD: HRV records are not imported' }]);
  });

  it('gives the same result fed in small chunks as a stream', () => {
    const xml = sampleAppleHealthXml();
    const reader = new AppleHealthReader();
    for (let i = 0; i < xml.length; i += 7) reader.write(xml.slice(i, i + 7));
    expect(reader.finish()).toEqual(parseAppleHealthXml(xml));
  });

  it('refuses broken XML and files without records', () => {
    expect(parseAppleHealthXml('<HealthData><Record type="x"').errors[0]!.reason).toMatch(/^not valid XML/);
    expect(parseAppleHealthXml('<HealthData></HealthData>').errors).toEqual([{ row: 1, field: '(file)', reason: 'no <Record> elements: is this Apple Health’s export.xml?' }]);
  });
});
