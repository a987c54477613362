/** Days-since-injury values at or above this many days all read as "long ago". */
export const INJURY_DAYS_CAP = 365;

/** For each day, days since the latest day up to and including it with injury = 1; null if none yet. */
export function daysSinceInjury(injury: readonly (0 | 1 | null)[]): (number | null)[] {
  const out: (number | null)[] = new Array(injury.length);
  let last: number | null = null;
  for (let t = 0; t < injury.length; t++) {
    if (injury[t] === 1) last = t;
    out[t] = last === null ? null : t - last;
  }
  return out;
}

/** log1p(days) / log1p(INJURY_DAYS_CAP), in [0, 1]; 1 ("long ago") also when no injury was ever logged. */
export function scaledDaysSinceInjury(days: number | null): number {
  if (days === null) return 1;
  return Math.log1p(Math.min(Math.max(days, 0), INJURY_DAYS_CAP)) / Math.log1p(INJURY_DAYS_CAP);
}
