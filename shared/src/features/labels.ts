/** Days after t that the injury label looks at (t+1..t+INJURY_HORIZON_DAYS). */
export const INJURY_HORIZON_DAYS = 7;

/**
 * 1 if injury = 1 on any of days t+1..t+7; otherwise 0 if the whole window lies inside the log, else null.
 * Days inside the log without a row (or with injury missing) count as "no new injury": an injury is an event the athlete
 * reports when it happens, so only the end of the log makes a window unobserved.
 */
export function injuryLabels(injury: readonly (0 | 1 | null)[]): (0 | 1 | null)[] {
  const n = injury.length;
  const out = new Array<0 | 1 | null>(n);
  let nextInjury: number | null = null;
  for (let t = n - 1; t >= 0; t--) {
    if (nextInjury !== null && nextInjury - t <= INJURY_HORIZON_DAYS) out[t] = 1;
    else out[t] = t + INJURY_HORIZON_DAYS <= n - 1 ? 0 : null;
    if (injury[t] === 1) nextInjury = t;
  }
  return out;
}

/** Readiness on day t+1; null when missing or t is the last day. */
export function readinessLabels(readiness: readonly (number | null)[]): (number | null)[] {
  return readiness.map((_, t) => readiness[t + 1] ?? null);
}
