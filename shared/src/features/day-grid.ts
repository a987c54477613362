import { dateFromDayNumber, dayNumber } from '../log/calendar-date.ts';
import type { DailyLogRow } from '../log/types.ts';

/** One athlete's rows laid on consecutive calendar days from the first to the last logged day; null = no row that day. */
export interface DayGrid {
  athleteId: string;
  dates: string[];
  rows: (DailyLogRow | null)[];
}

/**
 * Sorts and gap-fills one athlete's rows (any order). Throws RangeError if the rows belong to several athletes, a date is
 * invalid, or a day appears twice: parse or validate rows first. Messages never contain log values.
 */
export function dayGrid(rows: readonly DailyLogRow[]): DayGrid {
  const firstRow = rows[0];
  if (firstRow === undefined) return { athleteId: '', dates: [], rows: [] };
  const byDay = new Map<number, DailyLogRow>();
  let first = Infinity;
  let last = -Infinity;
  for (const row of rows) {
    if (row.athleteId !== firstRow.athleteId) throw new RangeError('dayGrid: rows belong to more than one athlete');
    const day = dayNumber(row.date);
    if (byDay.has(day)) throw new RangeError('dayGrid: two rows for the same day');
    byDay.set(day, row);
    first = Math.min(first, day);
    last = Math.max(last, day);
  }
  const dates: string[] = [];
  const grid: (DailyLogRow | null)[] = [];
  for (let day = first; day <= last; day++) {
    dates.push(dateFromDayNumber(day));
    grid.push(byDay.get(day) ?? null);
  }
  return { athleteId: firstRow.athleteId, dates, rows: grid };
}
