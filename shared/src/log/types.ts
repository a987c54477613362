/** One athlete-day of the daily-log format. `null` is a missing value (an empty CSV cell). */
export interface DailyLogRow {
  athleteId: string;
  /** ISO calendar date, YYYY-MM-DD. */
  date: string;
  /** Session RPE x minutes summed over the day; 0 = rest day. */
  srpeLoad: number | null;
  /** 0-10. */
  readiness: number | null;
  /** 1-5 each. */
  fatigue: number | null;
  mood: number | null;
  sleepQuality: number | null;
  soreness: number | null;
  stress: number | null;
  sleepHours: number | null;
  /** 1 on the day a new injury is reported, else 0. */
  injury: 0 | 1 | null;
  hrvRmssdMs: number | null;
  restingHrBpm: number | null;
  sex: string | null;
  sport: string | null;
}

/** CSV header of the daily-log format, in column order. */
export const DAILY_LOG_COLUMNS = [
  'athlete_id', 'date', 'srpe_load', 'readiness', 'fatigue', 'mood', 'sleep_quality', 'soreness', 'stress',
  'sleep_hours', 'injury', 'hrv_rmssd_ms', 'resting_hr_bpm', 'sex', 'sport',
] as const;
export type DailyLogColumn = (typeof DAILY_LOG_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly DailyLogColumn[] = DAILY_LOG_COLUMNS.slice(0, 11);
