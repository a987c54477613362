/** One athlete-day of the daily-log format. `null` is a missing value (an empty CSV cell). */
export interface DailyLogRow {
  athleteId: string;
  /** ISO calendar date, YYYY-MM-DD. */
  date: string;
  /** Session RPE x minutes summed over the day; 0 = rest day. 0-10000 AU, decimals allowed. */
  srpeLoad: number | null;
  /** 0-10, decimals allowed (a slider). */
  readiness: number | null;
  /** 1-5 each, whole numbers (Likert answers). */
  fatigue: number | null;
  mood: number | null;
  sleepQuality: number | null;
  soreness: number | null;
  stress: number | null;
  /** 0-24, decimals allowed. */
  sleepHours: number | null;
  /** 1 on the day a new injury is reported, else 0. */
  injury: 0 | 1 | null;
  /** Optional column. RMSSD heart-rate variability, 1-300 ms. */
  hrvRmssdMs: number | null;
  /** Optional column. 20-150 bpm. */
  restingHrBpm: number | null;
  /** Optional columns. Free text, trimmed; at most 32 (sex) / 64 (sport) characters. */
  sex: string | null;
  sport: string | null;
  /**
   * Optional injury details (columns injury_body_part, injury_severity, injury_ongoing). Absent, like null, means not
   * reported: rows from files without these columns, and the reader's rows when the cells are empty, leave them out.
   */
  injuryBodyPart?: InjuryBodyPart | null;
  /** 1 minor (trains fully), 2 moderate (training reduced), 3 severe (cannot train). */
  injurySeverity?: 1 | 2 | 3 | null;
  /** 1 on every day the athlete is still injured (the first day of a new injury included), else 0. */
  injuryOngoing?: 0 | 1 | null;
}

/** Where an injury is, as the injury_body_part column spells it (a short list close to the OSTRC body-area list). */
export const INJURY_BODY_PARTS = [
  'head_neck', 'shoulder', 'upper_arm_elbow', 'forearm_wrist_hand', 'chest_abdomen', 'upper_back', 'lower_back',
  'hip_groin', 'thigh_front', 'thigh_back', 'knee', 'lower_leg_calf', 'ankle', 'foot', 'other',
] as const;
export type InjuryBodyPart = (typeof INJURY_BODY_PARTS)[number];

/** CSV header of the daily-log format, in column order. */
export const DAILY_LOG_COLUMNS = [
  'athlete_id', 'date', 'srpe_load', 'readiness', 'fatigue', 'mood', 'sleep_quality', 'soreness', 'stress',
  'sleep_hours', 'injury', 'hrv_rmssd_ms', 'resting_hr_bpm', 'sex', 'sport',
  'injury_body_part', 'injury_severity', 'injury_ongoing',
] as const;
export type DailyLogColumn = (typeof DAILY_LOG_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly DailyLogColumn[] = DAILY_LOG_COLUMNS.slice(0, 11);
