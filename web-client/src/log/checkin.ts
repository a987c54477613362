import { parseDailyLogCsv, validateDailyLogRow, type DailyLogRow, type FieldError, type RowError, type RowWarning } from '@huddle/shared/log';
import { LOCAL_ATHLETE_ID } from '../storage/vault.ts';

/** One training session as the athlete enters it. Strings are as typed. */
export interface SessionInput {
  rpe: string;
  minutes: string;
}

/** The injury part of the full check-in; '' = not given. */
export interface InjuryInput {
  isNew: boolean;
  ongoing: boolean;
  bodyPart: string;
  severity: string;
}

/** The check-in form's values, as typed (strings; '' = not answered). */
export interface CheckInInput {
  date: string;
  sessions: SessionInput[];
  readiness: string;
  fatigue: string;
  mood: string;
  sleepQuality: string;
  soreness: string;
  stress: string;
  sleepHours: string;
  injury: boolean;
  /** Body part, severity, still injured (the full check-in); absent in the quick check-in. */
  injuryDetails?: InjuryInput;
  hrv: string;
  restingHr: string;
}

export type CheckInResult = { ok: true; row: DailyLogRow; load: number | null } | { ok: false; errors: FieldError[] };

const MAX_SESSION_MINUTES = 24 * 60;

/** sRPE load: the sum of RPE x minutes over the day's sessions; null when no session is filled in. */
export function sessionsLoad(sessions: readonly SessionInput[]): { load: number | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let load = 0;
  let any = false;
  sessions.forEach((s, i) => {
    const rpeText = s.rpe.trim();
    const minText = s.minutes.trim();
    if (rpeText === '' && minText === '') return;
    const n = i + 1;
    const rpe = Number(rpeText);
    const minutes = Number(minText);
    let ok = true;
    if (rpeText === '' || !Number.isFinite(rpe) || rpe < 0 || rpe > 10) {
      errors.push({ field: `session_${n}_rpe`, reason: 'session effort (RPE) must be from 0 to 10' });
      ok = false;
    }
    if (minText === '' || !Number.isFinite(minutes) || minutes < 0 || minutes > MAX_SESSION_MINUTES) {
      errors.push({ field: `session_${n}_minutes`, reason: `session duration must be from 0 to ${MAX_SESSION_MINUTES} minutes` });
      ok = false;
    }
    if (ok) {
      load += rpe * minutes;
      any = true;
    }
  });
  return { load: any ? Math.round(load * 100) / 100 : null, errors };
}

/** Turns the form into a daily-log row with the shared validator (same rules as the CSV import). */
export function checkInToRow(input: CheckInInput, restDay: boolean): CheckInResult {
  const sessions = sessionsLoad(input.sessions);
  const load = restDay ? 0 : sessions.load;
  const validation = validateDailyLogRow({
    athlete_id: LOCAL_ATHLETE_ID,
    date: input.date,
    srpe_load: load ?? '',
    readiness: input.readiness,
    fatigue: input.fatigue,
    mood: input.mood,
    sleep_quality: input.sleepQuality,
    soreness: input.soreness,
    stress: input.stress,
    sleep_hours: input.sleepHours,
    injury: input.injury ? 1 : 0,
    hrv_rmssd_ms: input.hrv,
    resting_hr_bpm: input.restingHr,
    ...(input.injuryDetails ? { injury_ongoing: input.injuryDetails.ongoing ? 1 : 0, injury_body_part: input.injuryDetails.bodyPart, injury_severity: input.injuryDetails.severity } : {}),
  });
  const errors = [...(restDay ? [] : sessions.errors), ...(validation.ok ? [] : validation.errors)];
  if (errors.length > 0 || !validation.ok) return { ok: false, errors };
  return { ok: true, row: validation.row, load };
}

export interface CsvImportPreview {
  rows: DailyLogRow[];
  errors: RowError[];
  warnings: RowWarning[];
  /** athlete_id -> number of valid rows, in first-seen order. */
  athletes: Map<string, number>;
}

/** Reads a daily-log CSV; nothing is stored yet. */
export function previewCsv(text: string): CsvImportPreview {
  const { rows, errors, warnings } = parseDailyLogCsv(text);
  const athletes = new Map<string, number>();
  for (const r of rows) athletes.set(r.athleteId, (athletes.get(r.athleteId) ?? 0) + 1);
  return { rows, errors, warnings, athletes };
}

/** The valid rows of one athlete (the only one, or the chosen one when the file holds several). */
export function rowsToImport(preview: CsvImportPreview, athleteId: string | null): DailyLogRow[] {
  if (preview.athletes.size <= 1) return preview.rows;
  if (athleteId === null) throw new Error('this file holds several athletes: choose one');
  return preview.rows.filter((r) => r.athleteId === athleteId);
}

