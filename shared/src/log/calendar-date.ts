const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Plausibility bounds on a log date's year (a typo such as 2204 is refused, not turned into 180 years of gap). */
export const MIN_LOG_YEAR = 1900;
export const MAX_LOG_YEAR = 2100;

export type CalendarDateProblem = 'format' | 'not-a-date' | 'year-range';

/** Why `text` is not an acceptable log date (YYYY-MM-DD, a real calendar day, year within bounds), or null if it is. */
export function calendarDateProblem(text: string): CalendarDateProblem | null {
  const match = ISO_DATE.exec(text);
  if (!match) return 'format';
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'not-a-date';
  if (year < MIN_LOG_YEAR || year > MAX_LOG_YEAR) return 'year-range';
  return null;
}

export function isCalendarDate(text: string): boolean {
  return calendarDateProblem(text) === null;
}

/** Days since 1970-01-01 of an acceptable log date. Throws RangeError otherwise (the message never echoes the input). */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError('dayNumber: not a valid log date (YYYY-MM-DD)');
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** Inverse of `dayNumber`. */
export function dateFromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
