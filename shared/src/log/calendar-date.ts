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

/** Inverse of `dayNumber` (proleptic Gregorian arithmetic, H. Hinnant's civil_from_days). */
export function dateFromDayNumber(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(dayOfMonth)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** YYYY-MM-DD of a Date in the time zone this code runs in (the device's). */
export function localCalendarDate(d: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
