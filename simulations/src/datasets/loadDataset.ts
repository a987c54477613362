import { readFileSync } from 'node:fs';
import { parseDailyLogCsv, type DailyLogRow } from '@huddle/shared/log';
import { generateSyntheticFederation } from '../synthetic/index.ts';
import { loadSoccerMon } from './soccermon.ts';
import { defaultSoccerMonDir } from './soccermonDir.ts';

export interface DatasetOptions {
  /** Synthetic only: athletes (default 50), days (default 365), seed (default 1), startDate. */
  athletes?: number;
  days?: number;
  seed?: number;
  startDate?: string;
  /** SoccerMon only: data directory (default defaultSoccerMonDir()). */
  soccermonDir?: string;
}

export interface LoadedDataset {
  /** 'synthetic', 'soccermon' or the CSV path. */
  name: string;
  rows: DailyLogRow[];
  /** athleteId -> subgroup attributes beyond the row's sex and sport (SoccerMon: team). */
  subgroups: Map<string, Record<string, string>>;
}

export const DEFAULT_SYNTHETIC_ATHLETES = 50;

/**
 * `spec` is 'synthetic', 'soccermon', or the path of a daily-log CSV. A CSV with any refused row is an
 * error (its row numbers and reasons are in the message), so no data is dropped silently.
 */
export function loadDataset(spec: string, options: DatasetOptions = {}): LoadedDataset {
  if (spec === 'synthetic') {
    const rows = generateSyntheticFederation({
      athletes: options.athletes ?? DEFAULT_SYNTHETIC_ATHLETES,
      seed: options.seed ?? 1,
      ...(options.days !== undefined && { days: options.days }),
      ...(options.startDate !== undefined && { startDate: options.startDate }),
    });
    return { name: spec, rows, subgroups: new Map() };
  }
  if (spec === 'soccermon') {
    const { rows, teams } = loadSoccerMon(options.soccermonDir ?? defaultSoccerMonDir());
    return { name: spec, rows, subgroups: new Map([...teams].map(([id, team]) => [id, { team }])) };
  }
  const parsed = parseDailyLogCsv(readFileSync(spec, 'utf8'));
  if (parsed.errors.length > 0) {
    const shown = parsed.errors.slice(0, 5).map((e) => `row ${e.row} ${e.field}: ${e.reason}`);
    throw new Error(`${spec}: ${parsed.errors.length} problems in the daily log, e.g. ${shown.join('; ')}`);
  }
  return { name: spec, rows: parsed.rows, subgroups: new Map() };
}
