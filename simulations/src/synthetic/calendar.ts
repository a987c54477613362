const MS_PER_DAY = 86_400_000;

/** Parses YYYY-MM-DD as a UTC day; throws on anything else. */
export function parseIsoDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(ms).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  return ms / MS_PER_DAY;
}

export function isoDayString(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. Day 0 of the epoch (1970-01-01) was a Thursday. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** 0-based day of the year. */
export function dayOfYear(day: number): number {
  const date = new Date(day * MS_PER_DAY);
  return day - Date.UTC(date.getUTCFullYear(), 0, 1) / MS_PER_DAY;
}
