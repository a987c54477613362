import { COLUMN_FIELDS, dateFromDayNumber, dayNumber, validateDailyLogRow } from '@huddle/shared/log';
import type { DailyLogColumn, DailyLogRow } from '@huddle/shared/log';
import { INJURY_EPISODE_GAP_DAYS, injuryEpisodes } from './injuryEpisodes.ts';
import {
  SOCCERMON_WELLNESS_FILES,
  assertSoccerMonDir,
  readDailyLoadTable,
  readInjuryReports,
  readSessions,
  readWellnessTable,
  type SoccerMonItem,
  type UnreadableRecord,
} from './soccermonFiles.ts';

/**
 * Conversion rules (SoccerMon subjective part -> daily log):
 * - One athlete per player column; athleteId is the column name (`TeamA-<uuid>`). The team is returned in
 *   `teams` (and is the id's prefix) for subgroup audits; `sport` is 'football' and `sex` 'F' for everyone
 *   (both teams are elite women's teams).
 * - A player's log runs from the first to the last day with any record (a wellness answer, a session or an
 *   injury report), one row per day.
 * - srpe_load is the sum of the day's sessions in session.json. A day with no session is a rest day (0) when
 *   the player has a record that day, or lies in a silent gap of at most MAX_REST_GAP_DAYS days between
 *   records; in longer gaps the load is unknown (null) and so is injury.
 * - injury is 1 on the first day of each episode (see INJURY_EPISODE_GAP_DAYS), else 0 where load is known.
 * - Wellness cells are read as numbers; readiness 1-10 fits the log's 0-10 scale, the 1-5 items keep their
 *   direction (5 = best). A value the daily-log validator refuses is dropped (null) and listed in
 *   report.droppedValues (without the value itself); nothing is clamped or rounded.
 */
export const MAX_REST_GAP_DAYS = 7;
export const SOCCERMON_SPORT = 'football';
export const SOCCERMON_SEX = 'F';

export interface DroppedValue {
  athleteId: string;
  date: string;
  /** Daily-log column name. */
  field: string;
  reason: string;
}

export interface SoccerMonReport {
  dir: string;
  athletes: number;
  rows: number;
  firstDate: string;
  lastDate: string;
  /** Kept (non-null) answers per wellness file. */
  reportsPerItem: Record<SoccerMonItem, number>;
  readinessReportsPerAthlete: Record<string, number>;
  sessions: number;
  loadDays: { fromSessions: number; restInferred: number; unknown: number };
  /** Player-days where daily_load.csv disagrees with the sum of session.json (null if the file is absent). */
  dailyLoadMismatchDays: number | null;
  injuryReports: number;
  injuryEpisodes: number;
  injuredAthletes: number;
  injuryEpisodeGapDays: number;
  droppedValues: DroppedValue[];
  unreadableRecords: UnreadableRecord[];
  /** Players that appear in sessions or injuries but have no wellness column (they are still converted). */
  playersWithoutWellness: string[];
}

export interface SoccerMonDataset {
  rows: DailyLogRow[];
  report: SoccerMonReport;
  /** athleteId -> team ('TeamA' or 'TeamB'). */
  teams: Map<string, string>;
}

type WellnessField = (typeof SOCCERMON_WELLNESS_FILES)[SoccerMonItem];
type WellnessCells = Partial<Record<WellnessField, string>>;

export function loadSoccerMon(dir: string): SoccerMonDataset {
  assertSoccerMonDir(dir);
  const unreadable: UnreadableRecord[] = [];
  const wellness = new Map<string, Map<number, WellnessCells>>();
  const wellnessPlayers = new Set<string>();
  for (const [item, field] of Object.entries(SOCCERMON_WELLNESS_FILES) as [SoccerMonItem, WellnessField][]) {
    const table = readWellnessTable(dir, item);
    table.players.forEach((player, p) => {
      wellnessPlayers.add(player);
      const days = mapEntry(wellness, player, () => new Map<number, WellnessCells>());
      table.dates.forEach((date, d) => {
        const cell = table.cells[d]![p]!;
        if (cell !== '') mapEntry(days, dayNumber(date), (): WellnessCells => ({}))[field] = cell;
      });
    });
  }

  const sessions = readSessions(dir, unreadable);
  const loadByPlayer = new Map<string, Map<number, number>>();
  let sessionCount = 0;
  for (const [player, list] of sessions) {
    const days = mapEntry(loadByPlayer, player, () => new Map<number, number>());
    for (const s of list) {
      const day = dayNumber(s.date);
      days.set(day, (days.get(day) ?? 0) + s.srpe);
      sessionCount++;
    }
  }

  const injuryReports = readInjuryReports(dir, unreadable);
  const episodes = injuryEpisodes(injuryReports);
  const onsets = new Map<string, Set<number>>();
  for (const e of episodes) mapEntry(onsets, e.player, () => new Set<number>()).add(dayNumber(e.onset));
  const injuryDays = new Map<string, Set<number>>();
  for (const r of injuryReports) mapEntry(injuryDays, r.player, () => new Set<number>()).add(dayNumber(r.date));

  const players = [...new Set([...wellnessPlayers, ...loadByPlayer.keys(), ...injuryDays.keys()])];
  const rows: DailyLogRow[] = [];
  const droppedValues: DroppedValue[] = [];
  const loadDays = { fromSessions: 0, restInferred: 0, unknown: 0 };
  const teams = new Map<string, string>();
  for (const player of players) {
    const cells = wellness.get(player) ?? new Map<number, WellnessCells>();
    const loads = loadByPlayer.get(player) ?? new Map<number, number>();
    const recordDays = [...new Set([...cells.keys(), ...loads.keys(), ...(injuryDays.get(player) ?? [])])].sort((a, b) => a - b);
    if (recordDays.length === 0) continue;
    teams.set(player, player.split('-')[0]!);
    const restDays = inferredRestDays(recordDays);
    const playerOnsets = onsets.get(player) ?? new Set<number>();
    for (let day = recordDays[0]!; day <= recordDays[recordDays.length - 1]!; day++) {
      const session = loads.get(day);
      const srpeLoad = session ?? (restDays.has(day) ? 0 : null);
      if (session !== undefined) loadDays.fromSessions++;
      else if (srpeLoad === 0) loadDays.restInferred++;
      else loadDays.unknown++;
      const c = cells.get(day) ?? {};
      const candidate: Record<keyof DailyLogRow, unknown> = {
        athleteId: player,
        date: dateFromDayNumber(day),
        srpeLoad,
        readiness: c.readiness,
        fatigue: c.fatigue,
        mood: c.mood,
        sleepQuality: c.sleepQuality,
        soreness: c.soreness,
        stress: c.stress,
        sleepHours: c.sleepHours,
        injury: playerOnsets.has(day) ? 1 : srpeLoad === null ? null : 0,
        hrvRmssdMs: null,
        restingHrBpm: null,
        sex: SOCCERMON_SEX,
        sport: SOCCERMON_SPORT,
        injuryBodyPart: null,
        injurySeverity: null,
        injuryOngoing: null,
      };
      rows.push(keepValidFields(candidate, droppedValues));
    }
  }

  return {
    rows,
    teams,
    report: {
      dir,
      athletes: teams.size,
      rows: rows.length,
      firstDate: rows.reduce((min, r) => (r.date < min ? r.date : min), rows[0]?.date ?? ''),
      lastDate: rows.reduce((max, r) => (r.date > max ? r.date : max), ''),
      reportsPerItem: countAnswers(rows),
      readinessReportsPerAthlete: Object.fromEntries(
        [...teams.keys()].map((id) => [id, rows.filter((r) => r.athleteId === id && r.readiness !== null).length]),
      ),
      sessions: sessionCount,
      loadDays,
      dailyLoadMismatchDays: dailyLoadMismatches(dir, loadByPlayer),
      injuryReports: injuryReports.length,
      injuryEpisodes: episodes.length,
      injuredAthletes: onsets.size,
      injuryEpisodeGapDays: INJURY_EPISODE_GAP_DAYS,
      droppedValues,
      unreadableRecords: unreadable,
      playersWithoutWellness: players.filter((p) => !wellnessPlayers.has(p)),
    },
  };
}

/** Days without any record that sit in a gap of at most MAX_REST_GAP_DAYS days between records, plus record days. */
function inferredRestDays(sortedRecordDays: readonly number[]): Set<number> {
  const rest = new Set(sortedRecordDays);
  for (let i = 1; i < sortedRecordDays.length; i++) {
    const from = sortedRecordDays[i - 1]!;
    const to = sortedRecordDays[i]!;
    if (to - from - 1 <= MAX_REST_GAP_DAYS) for (let d = from + 1; d < to; d++) rest.add(d);
  }
  return rest;
}

/**
 * Runs the shared validator (wellness cells go in as the file's text, so it also parses them); each refused
 * field becomes null and is reported.
 */
function keepValidFields(candidate: Record<keyof DailyLogRow, unknown>, dropped: DroppedValue[]): DailyLogRow {
  const checked = validateDailyLogRow(candidate);
  if (checked.ok) return checked.row;
  const fixed: Record<string, unknown> = { ...candidate };
  for (const e of checked.errors) {
    const field = COLUMN_FIELDS[e.field as DailyLogColumn];
    if (field === 'athleteId' || field === 'date' || field === undefined) {
      throw new Error(`SoccerMon: ${e.field} of a converted row is invalid (${e.reason})`);
    }
    fixed[field] = null;
    dropped.push({ athleteId: String(candidate.athleteId), date: String(candidate.date), field: e.field, reason: e.reason });
  }
  const again = validateDailyLogRow(fixed);
  if (!again.ok) throw new Error(`SoccerMon: a row of ${String(candidate.athleteId)} is still invalid after dropping fields`);
  return again.row;
}

function countAnswers(rows: readonly DailyLogRow[]): Record<SoccerMonItem, number> {
  const entries = Object.entries(SOCCERMON_WELLNESS_FILES) as [SoccerMonItem, WellnessField][];
  return Object.fromEntries(entries.map(([item, field]) => [item, rows.filter((r) => r[field] !== null).length])) as Record<
    SoccerMonItem,
    number
  >;
}

function dailyLoadMismatches(dir: string, loadByPlayer: Map<string, Map<number, number>>): number | null {
  const table = readDailyLoadTable(dir);
  if (!table) return null;
  let mismatches = 0;
  table.players.forEach((player, p) => {
    table.dates.forEach((date, d) => {
      const published = Number(table.cells[d]![p] || '0');
      const fromSessions = loadByPlayer.get(player)?.get(dayNumber(date)) ?? 0;
      if (Math.abs(published - fromSessions) > 1e-6) mismatches++;
    });
  });
  return mismatches;
}

function mapEntry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
