import type { DailyLogRow } from './types.ts';

/** Rows per athlete (in order of first appearance), each list sorted by date; the input is not modified. */
export function groupByAthlete(rows: readonly DailyLogRow[]): Map<string, DailyLogRow[]> {
  const groups = new Map<string, DailyLogRow[]>();
  for (const row of rows) {
    const group = groups.get(row.athleteId);
    if (group) group.push(row);
    else groups.set(row.athleteId, [row]);
  }
  for (const group of groups.values()) group.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return groups;
}
