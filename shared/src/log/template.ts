import { formatDailyLogCsv } from './format-csv.ts';
import type { DailyLogRow } from './types.ts';
import { DAILY_LOG_COLUMNS } from './types.ts';

/**
 * Two days of one athlete: a training day with every column filled, then a rest day (srpe_load 0) with
 * the first report of a new injury (a moderate back-of-thigh injury) and the other optional columns left empty.
 */
export const EXAMPLE_DAILY_LOG_ROWS: readonly DailyLogRow[] = [
  { athleteId: 'athlete-01', date: '2024-03-01', srpeLoad: 420, readiness: 7.5, fatigue: 3, mood: 4, sleepQuality: 4, soreness: 2, stress: 2, sleepHours: 7.5, injury: 0, hrvRmssdMs: 68, restingHrBpm: 52, sex: 'female', sport: 'football' },
  { athleteId: 'athlete-01', date: '2024-03-02', srpeLoad: 0, readiness: 4, fatigue: 2, mood: 3, sleepQuality: 3, soreness: 4, stress: 3, sleepHours: 6, injury: 1, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null, injuryBodyPart: 'thigh_back', injurySeverity: 2, injuryOngoing: 1 },
];

/**
 * An empty daily-log CSV to fill in: the header with every column in order (the CSV reader's own column list),
 * plus, with `example`, the two example rows. Pure: the web app offers the same file for download.
 */
export function dailyLogTemplateCsv(options: { example?: boolean } = {}): string {
  return options.example ? formatDailyLogCsv(EXAMPLE_DAILY_LOG_ROWS) : `${DAILY_LOG_COLUMNS.join(',')}\n`;
}
