/** Model inputs and labels for one athlete, one entry per calendar day from the first to the last logged day. */
export interface AthleteFeatures {
  athleteId: string;
  /** YYYY-MM-DD, consecutive calendar days. */
  dates: string[];
  /** dates.length * FEATURE_COUNT values, row-major (day t's vector starts at t * FEATURE_COUNT), all finite, in [-3, 3]. */
  x: Float32Array;
  /** 1 if a new injury is reported on any of days t+1..t+7; 0 if none is and all 7 days lie inside the log; else null (end of the log). */
  injuryLabel: (0 | 1 | null)[];
  /** Readiness reported on day t+1; null when it is missing or t is the last day. */
  readinessLabel: (number | null)[];
  /** Whether day t has a log row (false for calendar gaps). */
  hasReport: boolean[];
}
