import { isCalendarDate } from '../log/calendar-date.ts';
import { NUMERIC_RULES } from '../log/columns.ts';
import type { RowError, RowWarning } from '../log/parse-report.ts';

/** What a wearable adds to a day of the log: never the check-in answers, only these measurements. */
export interface WearableDay {
  date: string;
  restingHrBpm: number | null;
  hrvRmssdMs: number | null;
  sleepHours: number | null;
}

export interface WearableImport {
  /** One entry per calendar day, oldest first. */
  days: WearableDay[];
  /** Records that were refused, by record number in the file, field and reason (never the value). */
  errors: RowError[];
  warnings: RowWarning[];
}

type Metric = 'restingHrBpm' | 'hrvRmssdMs' | 'sleepHours';
const COLUMN: Record<Metric, 'resting_hr_bpm' | 'hrv_rmssd_ms' | 'sleep_hours'> = { restingHrBpm: 'resting_hr_bpm', hrvRmssdMs: 'hrv_rmssd_ms', sleepHours: 'sleep_hours' };

/**
 * Collects measurements record by record, checks each against the daily-log rules (the same ranges as the CSV import)
 * and reduces them to one value per day: the latest reading for heart rate and HRV, the sum for sleep.
 */
export class WearableDayCollector {
  private readonly byDate = new Map<string, WearableDay>();
  readonly errors: RowError[] = [];
  readonly warnings: RowWarning[] = [];

  add(row: number, date: string, metric: Metric, value: number, mode: 'latest' | 'sum' = 'latest'): void {
    const field = COLUMN[metric];
    if (!isCalendarDate(date)) return void this.errors.push({ row, field: 'date', reason: 'not a valid calendar date' });
    if (!Number.isFinite(value)) return void this.errors.push({ row, field, reason: 'not a number' });
    const day = this.byDate.get(date) ?? { date, restingHrBpm: null, hrvRmssdMs: null, sleepHours: null };
    const next = mode === 'sum' ? (day[metric] ?? 0) + value : value;
    const rule = NUMERIC_RULES[field];
    if (next < rule.min || next > rule.max) return void this.errors.push({ row, field, reason: `out of range: must be from ${rule.min} to ${rule.max}` });
    day[metric] = Math.round(next * 100) / 100;
    this.byDate.set(date, day);
  }

  /** Several measurements of one record (a CSV row): all are checked first, and the record is refused whole if one is bad. */
  addRecord(row: number, date: string, values: Partial<Record<Metric, number>>): void {
    if (!isCalendarDate(date)) return void this.errors.push({ row, field: 'date', reason: 'not a valid calendar date' });
    const bad: RowError[] = [];
    for (const [metric, value] of Object.entries(values) as [Metric, number][]) {
      const field = COLUMN[metric];
      const rule = NUMERIC_RULES[field];
      if (!Number.isFinite(value)) bad.push({ row, field, reason: 'not a number' });
      else if (value < rule.min || value > rule.max) bad.push({ row, field, reason: `out of range: must be from ${rule.min} to ${rule.max}` });
    }
    if (bad.length) return void this.errors.push(...bad);
    for (const [metric, value] of Object.entries(values) as [Metric, number][]) this.add(row, date, metric, value);
  }

  warn(row: number, field: string, reason: string): void {
    this.warnings.push({ row, field, reason });
  }

  refuse(row: number, field: string, reason: string): void {
    this.errors.push({ row, field, reason });
  }

  result(): WearableImport {
    return { days: [...this.byDate.values()].sort((a, b) => a.date.localeCompare(b.date)), errors: this.errors, warnings: this.warnings };
  }
}
