import Papa from 'papaparse';
import { WearableDayCollector, type WearableImport } from './wearableDays.ts';

/**
 * Oura's CSV export (Oura on the Web, Trends: one row per day). Columns used: `date` (YYYY-MM-DD), `Total Sleep
 * Duration` (seconds), `Lowest Resting Heart Rate` (bpm; `Average Resting Heart Rate` when the lowest is absent) and
 * `Average HRV` (ms; Oura measures RMSSD during sleep). Others are ignored. Row numbers are lines (header = 1).
 */
const DATE = 'date';
const SLEEP = 'Total Sleep Duration';
const RHR = ['Lowest Resting Heart Rate', 'Average Resting Heart Rate'];
const HRV = 'Average HRV';
const NUMBER = /^\d+(\.\d+)?$/;

export function parseOuraCsv(text: string): WearableImport {
  const out = new WearableDayCollector();
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const fields = parsed.meta.fields ?? [];
  const rhr = RHR.find((c) => fields.includes(c));
  if (!fields.includes(DATE)) {
    out.refuse(1, '(header)', 'no "date" column: is this Oura’s CSV export?');
    return out.result();
  }
  if (!fields.includes(SLEEP) && !rhr && !fields.includes(HRV)) {
    out.refuse(1, '(header)', `none of the columns "${SLEEP}", "${RHR[0]}", "${HRV}"`);
    return out.result();
  }
  const badLines = new Set<number>();
  for (const e of parsed.errors) {
    if (e.row === undefined) continue;
    badLines.add(e.row + 2);
    out.refuse(e.row + 2, '(row)', e.code === 'TooFewFields' || e.code === 'TooManyFields' ? 'the line does not have the header’s cells' : 'malformed quotes');
  }
  parsed.data.forEach((row, i) => {
    const line = i + 2;
    if (badLines.has(line)) return;
    const date = (row[DATE] ?? '').trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return out.refuse(line, 'date', 'not a date in YYYY-MM-DD form');
    // A row with any unreadable or out-of-range cell is refused whole, as in the CSV import.
    let unreadable = false;
    const cell = (column: string | undefined, field: string): number | undefined => {
      const t = column ? (row[column] ?? '').trim() : '';
      if (t === '' || t.toLowerCase() === 'none') return undefined;
      if (!NUMBER.test(t)) {
        out.refuse(line, field, 'not a number');
        unreadable = true;
        return undefined;
      }
      return Number(t);
    };
    const sleepSeconds = cell(fields.includes(SLEEP) ? SLEEP : undefined, 'sleep_hours');
    const bpm = cell(rhr, 'resting_hr_bpm');
    const hrv = cell(fields.includes(HRV) ? HRV : undefined, 'hrv_rmssd_ms');
    if (unreadable) return;
    out.addRecord(line, date, {
      ...(sleepSeconds !== undefined ? { sleepHours: sleepSeconds / 3600 } : {}),
      ...(bpm !== undefined ? { restingHrBpm: bpm } : {}),
      ...(hrv !== undefined ? { hrvRmssdMs: hrv } : {}),
    });
  });
  return out.result();
}
