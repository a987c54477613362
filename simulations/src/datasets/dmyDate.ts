import { isCalendarDate } from '@huddle/shared/log';

/** DD.MM.YYYY (SoccerMon's date form) to YYYY-MM-DD; throws on anything else. */
export function isoFromDmy(text: string): string {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text.trim());
  const iso = m ? `${m[3]}-${m[2]}-${m[1]}` : '';
  if (!isCalendarDate(iso)) throw new RangeError(`not a DD.MM.YYYY date: ${JSON.stringify(text)}`);
  return iso;
}
