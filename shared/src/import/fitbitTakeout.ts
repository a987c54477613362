import Papa from 'papaparse';
import { z } from 'zod';
import { WearableDayCollector, type WearableImport } from './wearableDays.ts';

/**
 * Fitbit data as Google Takeout exports it (Takeout/Fitbit/Global Export Data/ and .../Heart Rate Variability/), one
 * file at a time; the kind is recognised from the content:
 * - `resting_heart_rate-YYYY-MM-DD.json`: [{ dateTime: "MM/DD/YY hh:mm:ss", value: { date: "MM/DD/YY", value: bpm, error } }]
 *   (value 0 on days without enough data);
 * - `sleep-YYYY-MM-DD.json`: [{ dateOfSleep: "YYYY-MM-DD", minutesAsleep, ... }], one entry per sleep (naps included);
 * - `Daily Heart Rate Variability Summary - ....csv`: columns timestamp, rmssd, nremhr, entropy (RMSSD in ms);
 * - the Fitbit Web API's HRV JSON, { hrv: [{ dateTime: "YYYY-MM-DD", value: { dailyRmssd } }] }.
 * Record numbers in the report count array entries (JSON) or lines (CSV, header = 1).
 */
export interface FitbitFile {
  name: string;
  text: string;
}

const restingHeartRate = z.object({ dateTime: z.string(), value: z.object({ date: z.string(), value: z.number() }) });
const sleepLog = z.object({ dateOfSleep: z.string(), minutesAsleep: z.number() });
const apiHrv = z.object({ dateTime: z.string(), value: z.object({ dailyRmssd: z.number() }) });

/** "03/01/24" (Fitbit's MM/DD/YY) -> "2024-03-01"; null when it is not that form. */
function fitbitUsDate(text: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{2})(?: \d{2}:\d{2}:\d{2})?$/.exec(text.trim());
  return m ? `20${m[3]}-${m[1]}-${m[2]}` : null;
}

const isoDay = (text: string): string | null => (/^\d{4}-\d{2}-\d{2}(?:$|T)/.test(text) ? text.slice(0, 10) : null);

function zodReason(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'entry'}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message}`.slice(0, 160) : 'not the expected shape';
}

function readRestingHeartRate(entries: unknown[], out: WearableDayCollector): void {
  let unmeasured = 0;
  entries.forEach((raw, i) => {
    const parsed = restingHeartRate.safeParse(raw);
    if (!parsed.success) return out.refuse(i + 1, 'resting_hr_bpm', `not a resting-heart-rate entry (${zodReason(parsed.error)})`);
    const date = fitbitUsDate(parsed.data.value.date) ?? fitbitUsDate(parsed.data.dateTime);
    if (!date) return out.refuse(i + 1, 'date', 'date is not "MM/DD/YY"');
    if (parsed.data.value.value === 0) return void unmeasured++;
    out.add(i + 1, date, 'restingHrBpm', parsed.data.value.value);
  });
  if (unmeasured) out.warn(1, 'resting_hr_bpm', `${unmeasured} ${unmeasured === 1 ? 'day' : 'days'} without a resting heart rate (Fitbit writes 0): skipped`);
}

function readSleep(entries: unknown[], out: WearableDayCollector): void {
  entries.forEach((raw, i) => {
    const parsed = sleepLog.safeParse(raw);
    if (!parsed.success) return out.refuse(i + 1, 'sleep_hours', `not a sleep entry (${zodReason(parsed.error)})`);
    const date = isoDay(parsed.data.dateOfSleep);
    if (!date) return out.refuse(i + 1, 'date', 'dateOfSleep is not "YYYY-MM-DD"');
    if (parsed.data.minutesAsleep < 0) return out.refuse(i + 1, 'sleep_hours', 'minutesAsleep is negative');
    out.add(i + 1, date, 'sleepHours', parsed.data.minutesAsleep / 60, 'sum');
  });
}

function readApiHrv(entries: unknown[], out: WearableDayCollector): void {
  entries.forEach((raw, i) => {
    const parsed = apiHrv.safeParse(raw);
    if (!parsed.success) return out.refuse(i + 1, 'hrv_rmssd_ms', `not an HRV entry (${zodReason(parsed.error)})`);
    const date = isoDay(parsed.data.dateTime);
    if (!date) return out.refuse(i + 1, 'date', 'dateTime is not "YYYY-MM-DD"');
    out.add(i + 1, date, 'hrvRmssdMs', parsed.data.value.dailyRmssd);
  });
}

function readHrvCsv(text: string, out: WearableDayCollector): void {
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const fields = parsed.meta.fields ?? [];
  if (!fields.includes('timestamp') || !fields.includes('rmssd')) return out.refuse(1, '(file)', 'an HRV summary needs the columns timestamp and rmssd');
  parsed.data.forEach((row, i) => {
    const line = i + 2;
    const date = isoDay((row.timestamp ?? '').trim());
    if (!date) return out.refuse(line, 'date', 'timestamp is not "YYYY-MM-DDThh:mm:ss"');
    const text = (row.rmssd ?? '').trim();
    if (text === '') return;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text)) return out.refuse(line, 'hrv_rmssd_ms', 'rmssd is not a number');
    out.add(line, date, 'hrvRmssdMs', value);
  });
  for (const e of parsed.errors) if (e.code === 'TooFewFields' || e.code === 'TooManyFields' || e.code === 'MissingQuotes') out.refuse((e.row ?? 0) + 2, '(row)', 'the line does not have the header’s cells');
}

function readOne(file: FitbitFile, out: WearableDayCollector): void {
  const text = file.text.trim();
  if (/\.csv$/i.test(file.name) || /^\uFEFF?timestamp\s*,/.test(text)) return readHrvCsv(file.text, out);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return out.refuse(1, '(file)', 'not valid JSON');
  }
  if (json && typeof json === 'object' && !Array.isArray(json) && Array.isArray((json as { hrv?: unknown }).hrv)) return readApiHrv((json as { hrv: unknown[] }).hrv, out);
  if (!Array.isArray(json)) return out.refuse(1, '(file)', 'not a Fitbit export file (expected a list of entries)');
  const first = json.find((e) => e && typeof e === 'object') as Record<string, unknown> | undefined;
  if (json.length === 0) return out.warn(1, '(file)', 'the file has no entries');
  if (first && 'dateOfSleep' in first) return readSleep(json, out);
  if (first && 'dateTime' in first && first.value && typeof first.value === 'object' && 'date' in first.value) return readRestingHeartRate(json, out);
  out.refuse(1, '(file)', 'not a Fitbit resting heart rate, sleep or HRV file');
}

/** One or more Fitbit export files (a Takeout has one per month and kind); with several, each reason names its file. */
export function parseFitbitTakeout(files: readonly FitbitFile[]): WearableImport {
  const out = new WearableDayCollector();
  for (const file of files) {
    const from = { errors: out.errors.length, warnings: out.warnings.length };
    readOne(file, out);
    if (files.length < 2) continue;
    for (const list of ['errors', 'warnings'] as const) {
      for (let i = from[list]; i < out[list].length; i++) out[list][i] = { ...out[list][i]!, reason: `${file.name}: ${out[list][i]!.reason}` };
    }
  }
  if (files.length === 0) out.refuse(1, '(file)', 'no file chosen');
  return out.result();
}
