import { INJURY_BODY_PARTS } from './types.ts';
import type { DailyLogColumn, DailyLogRow } from './types.ts';

/** The `DailyLogRow` field each CSV column fills. */
export const COLUMN_FIELDS = {
  athlete_id: 'athleteId',
  date: 'date',
  srpe_load: 'srpeLoad',
  readiness: 'readiness',
  fatigue: 'fatigue',
  mood: 'mood',
  sleep_quality: 'sleepQuality',
  soreness: 'soreness',
  stress: 'stress',
  sleep_hours: 'sleepHours',
  injury: 'injury',
  hrv_rmssd_ms: 'hrvRmssdMs',
  resting_hr_bpm: 'restingHrBpm',
  sex: 'sex',
  sport: 'sport',
  injury_body_part: 'injuryBodyPart',
  injury_severity: 'injurySeverity',
  injury_ongoing: 'injuryOngoing',
} as const satisfies Record<DailyLogColumn, keyof DailyLogRow>;

export type NumericColumn =
  | 'srpe_load' | 'readiness' | 'fatigue' | 'mood' | 'sleep_quality' | 'soreness' | 'stress'
  | 'sleep_hours' | 'injury' | 'hrv_rmssd_ms' | 'resting_hr_bpm' | 'injury_severity' | 'injury_ongoing';

export interface NumericRule {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

const WELLNESS_ITEM: NumericRule = { min: 1, max: 5, integer: true };

/**
 * Accepted values. Decisions:
 * - The five 1-5 wellness items (fatigue, mood, sleep_quality, soreness, stress) are Likert answers: whole numbers only.
 * - readiness (0-10) is a slider: decimals allowed. So are sleep_hours, srpe_load, HRV and resting HR.
 * - srpe_load is capped at 10000 AU (RPE 10 for ~16.7 h), far above any real day, to catch unit and typing errors.
 */
export const NUMERIC_RULES: Readonly<Record<NumericColumn, NumericRule>> = {
  srpe_load: { min: 0, max: 10_000, integer: false },
  readiness: { min: 0, max: 10, integer: false },
  fatigue: WELLNESS_ITEM,
  mood: WELLNESS_ITEM,
  sleep_quality: WELLNESS_ITEM,
  soreness: WELLNESS_ITEM,
  stress: WELLNESS_ITEM,
  sleep_hours: { min: 0, max: 24, integer: false },
  injury: { min: 0, max: 1, integer: true },
  hrv_rmssd_ms: { min: 1, max: 300, integer: false },
  resting_hr_bpm: { min: 20, max: 150, integer: false },
  injury_severity: { min: 1, max: 3, integer: true },
  injury_ongoing: { min: 0, max: 1, integer: true },
};

export type TextColumn = 'athlete_id' | 'sex' | 'sport';

export interface TextRule {
  required: boolean;
  maxLength: number;
}

export const TEXT_RULES: Readonly<Record<TextColumn, TextRule>> = {
  athlete_id: { required: true, maxLength: 128 },
  sex: { required: false, maxLength: 32 },
  sport: { required: false, maxLength: 64 },
};

export type ChoiceColumn = 'injury_body_part';

/** Columns whose value is one word from a fixed list (spelled exactly, lower case). */
export const CHOICE_RULES: Readonly<Record<ChoiceColumn, readonly string[]>> = {
  injury_body_part: INJURY_BODY_PARTS,
};

/** Detail columns that describe an injury: a row may fill them only when injury or injury_ongoing is 1. */
export const INJURY_DETAIL_COLUMNS = ['injury_body_part', 'injury_severity'] as const;
