import { calendarDateProblem, MAX_LOG_YEAR, MIN_LOG_YEAR } from './calendar-date.ts';
import type { CalendarDateProblem } from './calendar-date.ts';
import { CHOICE_RULES, COLUMN_FIELDS, INJURY_DETAIL_COLUMNS, NUMERIC_RULES, TEXT_RULES } from './columns.ts';
import type { NumericColumn } from './columns.ts';
import { isBlank, readChoiceCell, readNumberCell, readTextCell } from './cell-readers.ts';
import type { CellResult } from './cell-readers.ts';
import type { DailyLogColumn, DailyLogRow, InjuryBodyPart } from './types.ts';

/** A problem with one field. `reason` never contains the raw value (privacy rule: raw log values are never logged or sent). */
export interface FieldError {
  /** CSV column name, e.g. `sleep_hours`. */
  field: string;
  value?: never;
  reason: string;
}

export type DailyLogRowValidation = { ok: true; row: DailyLogRow } | { ok: false; errors: FieldError[] };

/** Every field read, with null in place of each field that failed, plus the failures. */
export interface RowReading {
  values: DailyLogRow;
  errors: FieldError[];
}

const DATE_REASONS: Record<CalendarDateProblem, string> = {
  format: 'not a date in YYYY-MM-DD form',
  'not-a-date': 'not a real calendar date',
  'year-range': `year out of range (${MIN_LOG_YEAR}-${MAX_LOG_YEAR})`,
};

/**
 * Validates one athlete-day with the same rules as the CSV reader, for web forms and JSON imports.
 * Keys may be CSV column names (`sleep_hours`) or `DailyLogRow` field names (`sleepHours`); the column name wins when both
 * are present; other keys are ignored. Values may be strings (as typed) or numbers; blank strings, null and undefined are
 * missing values. The row is refused whole if any field is bad, and every bad field is reported.
 */
export function validateDailyLogRow(input: Record<string, unknown>): DailyLogRowValidation {
  if (typeof input !== 'object' || input === null) return { ok: false, errors: [{ field: '(row)', reason: 'not a record' }] };
  const { values, errors } = readDailyLogRow((column) => {
    if (Object.hasOwn(input, column)) return input[column];
    const field = COLUMN_FIELDS[column];
    return Object.hasOwn(input, field) ? input[field] : undefined;
  });
  return errors.length === 0 ? { ok: true, row: values } : { ok: false, errors };
}

/** Reads every column through `cell` (undefined = column absent). Shared by the form validator and the CSV reader. */
export function readDailyLogRow(cell: (column: DailyLogColumn) => unknown): RowReading {
  const errors: FieldError[] = [];
  const take = <T>(column: DailyLogColumn, result: CellResult<T | null>): T | null => {
    if (result.ok) return result.value;
    errors.push({ field: column, reason: result.reason });
    return null;
  };
  const text = (column: 'athlete_id' | 'sex' | 'sport') => take(column, readTextCell(cell(column), TEXT_RULES[column]));
  const number = (column: NumericColumn) => take(column, readNumberCell(cell(column), NUMERIC_RULES[column]));

  const values: DailyLogRow = {
    athleteId: text('athlete_id') ?? '',
    date: take('date', readDate(cell('date'))) ?? '',
    srpeLoad: number('srpe_load'),
    readiness: number('readiness'),
    fatigue: number('fatigue'),
    mood: number('mood'),
    sleepQuality: number('sleep_quality'),
    soreness: number('soreness'),
    stress: number('stress'),
    sleepHours: number('sleep_hours'),
    injury: number('injury') as 0 | 1 | null,
    hrvRmssdMs: number('hrv_rmssd_ms'),
    restingHrBpm: number('resting_hr_bpm'),
    sex: text('sex'),
    sport: text('sport'),
  };
  const bodyPart = take('injury_body_part', readChoiceCell(cell('injury_body_part'), CHOICE_RULES.injury_body_part)) as InjuryBodyPart | null;
  const severity = number('injury_severity') as 1 | 2 | 3 | null;
  const ongoing = number('injury_ongoing') as 0 | 1 | null;
  // Injury details are left out when not reported, so rows of files without these columns stay as they were.
  if (bodyPart !== null) values.injuryBodyPart = bodyPart;
  if (severity !== null) values.injurySeverity = severity;
  if (ongoing !== null) values.injuryOngoing = ongoing;
  if (values.injury !== 1 && ongoing !== 1) {
    for (const column of INJURY_DETAIL_COLUMNS) {
      if (!isBlank(cell(column)) && !errors.some((e) => e.field === column)) errors.push({ field: column, reason: 'describes an injury, but neither injury nor injury_ongoing is 1' });
    }
  }
  return { values, errors };
}

function readDate(raw: unknown): CellResult<string> {
  if (isBlank(raw)) return { ok: false, reason: 'required value is missing' };
  if (typeof raw !== 'string') return { ok: false, reason: DATE_REASONS.format };
  const text = raw.trim();
  const problem = calendarDateProblem(text);
  return problem === null ? { ok: true, value: text } : { ok: false, reason: DATE_REASONS[problem] };
}
