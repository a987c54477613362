import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvRecords } from './csvRecords.ts';
import { isoFromDmy } from './dmyDate.ts';
import type { InjuryReport } from './injuryEpisodes.ts';
import { parseWideCsv, type WideTable } from './wideCsv.ts';

/** SoccerMon wellness files and the DailyLogRow field each fills. */
export const SOCCERMON_WELLNESS_FILES = {
  readiness: 'readiness',
  fatigue: 'fatigue',
  mood: 'mood',
  sleep_quality: 'sleepQuality',
  soreness: 'soreness',
  stress: 'stress',
  sleep_duration: 'sleepHours',
} as const;
export type SoccerMonItem = keyof typeof SOCCERMON_WELLNESS_FILES;

const WELLNESS_DIR = 'subjective/wellness';
const SESSIONS_FILE = 'subjective/training-load/session.json';
const DAILY_LOAD_FILE = 'subjective/training-load/daily_load.csv';
const INJURY_FILE = 'subjective/injury/injury.csv';

export interface SoccerMonSession {
  date: string;
  srpe: number;
}

/** A record that could not be read; it is left out and counted in the report. */
export interface UnreadableRecord {
  source: string;
  athleteId: string;
  reason: string;
}

/** Throws with the expected layout when `dir` is not a SoccerMon copy. */
export function assertSoccerMonDir(dir: string): void {
  const required = [
    ...Object.keys(SOCCERMON_WELLNESS_FILES).map((f) => `${WELLNESS_DIR}/${f}.csv`),
    SESSIONS_FILE,
    INJURY_FILE,
  ];
  const missing = required.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new Error(
      `SoccerMon data not found in ${dir}: missing ${missing.join(', ')}. ` +
        'Put the subjective part of SoccerMon (Midoglu et al. 2024) there or set HUDDLE_SOCCERMON_DIR.',
    );
  }
}

export function readWellnessTable(dir: string, item: SoccerMonItem): WideTable {
  const file = `${WELLNESS_DIR}/${item}.csv`;
  return parseWideCsv(readFileSync(join(dir, file), 'utf8'), file);
}

/** The publishers' daily srpe sums, or null when the file is absent (it is only used as a cross-check). */
export function readDailyLoadTable(dir: string): WideTable | null {
  const path = join(dir, DAILY_LOAD_FILE);
  return existsSync(path) ? parseWideCsv(readFileSync(path, 'utf8'), DAILY_LOAD_FILE) : null;
}

export function readSessions(dir: string, unreadable: UnreadableRecord[]): Map<string, SoccerMonSession[]> {
  const json: unknown = JSON.parse(readFileSync(join(dir, SESSIONS_FILE), 'utf8'));
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${SESSIONS_FILE}: expected an object of player -> session list`);
  }
  const sessions = new Map<string, SoccerMonSession[]>();
  for (const [player, list] of Object.entries(json)) {
    if (!Array.isArray(list)) throw new Error(`${SESSIONS_FILE}: sessions of ${player} are not a list`);
    const kept: SoccerMonSession[] = [];
    for (const s of list as unknown[]) {
      const session = readSession(s);
      if (typeof session === 'string') unreadable.push({ source: SESSIONS_FILE, athleteId: player, reason: session });
      else kept.push(session);
    }
    sessions.set(player, kept);
  }
  return sessions;
}

function readSession(s: unknown): SoccerMonSession | string {
  if (typeof s !== 'object' || s === null) return 'session is not an object';
  const { date, srpe } = s as { date?: unknown; srpe?: unknown };
  if (typeof srpe !== 'number' || !Number.isFinite(srpe) || srpe < 0) return 'srpe is not a non-negative number';
  if (typeof date !== 'string') return 'date is missing';
  try {
    return { date: isoFromDmy(date), srpe };
  } catch {
    return 'date is not DD.MM.YYYY';
  }
}

export function readInjuryReports(dir: string, unreadable: UnreadableRecord[]): InjuryReport[] {
  const [header, ...body] = csvRecords(readFileSync(join(dir, INJURY_FILE), 'utf8'));
  const playerColumn = header?.indexOf('player_name') ?? -1;
  const dateColumn = header?.indexOf('timestamp') ?? -1;
  if (playerColumn < 0 || dateColumn < 0) throw new Error(`${INJURY_FILE}: expected player_name and timestamp columns`);
  const reports: InjuryReport[] = [];
  for (const record of body) {
    const player = (record[playerColumn] ?? '').trim();
    try {
      reports.push({ player, date: isoFromDmy(record[dateColumn] ?? '') });
    } catch {
      unreadable.push({ source: INJURY_FILE, athleteId: player, reason: 'timestamp is not DD.MM.YYYY' });
    }
  }
  return reports;
}
