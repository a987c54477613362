import { existsSync, readFileSync } from 'node:fs';
import { parseDailyLogCsv, type DailyLogRow, type RowError, type RowWarning } from '@huddle/shared/log';
import { DEFAULT_SYNTHETIC_ATHLETES, loadDataset } from '../datasets/index.ts';
import { SimUsageError, type SimOptions } from './options.ts';

export interface SimDataset {
  name: string;
  rows: DailyLogRow[];
  /** athleteId -> subgroup attributes beyond each row's sex and sport (e.g. SoccerMon's team). */
  subgroups: Map<string, Record<string, string>>;
  /** Refused CSV records (row numbers and reasons, never values); the rest of the file is used. */
  rowErrors: RowError[];
  /** What was read but not used (unknown or unnamed columns, each naming the known column it most likely means). */
  rowWarnings: RowWarning[];
  skippedRows: number;
}

export function loadSimDataset(o: SimOptions): SimDataset {
  if (o.dataset === 'synthetic') {
    const d = loadDataset('synthetic', { athletes: o.athletes ?? DEFAULT_SYNTHETIC_ATHLETES, seed: o.dataSeed, ...(o.days !== undefined && { days: o.days }) });
    return { ...d, rowErrors: [], rowWarnings: [], skippedRows: 0 };
  }
  const loaded = o.dataset === 'soccermon' ? { ...loadDataset('soccermon'), rowErrors: [], rowWarnings: [], skippedRows: 0 } : loadCsv(o.dataset);
  return o.athletes === undefined ? loaded : firstAthletes(loaded, o.athletes);
}

/** Unlike loadDataset, keeps the good rows of a CSV with bad ones; the caller must report `rowErrors` and `rowWarnings`. */
function loadCsv(path: string): SimDataset {
  if (!existsSync(path)) throw new SimUsageError(`--dataset ${path}: no such file (expected synthetic, soccermon or a daily-log CSV path)`);
  const parsed = parseDailyLogCsv(readFileSync(path, 'utf8'));
  const fileLevel = parsed.errors.find((e) => e.row === 1);
  if (fileLevel) throw new SimUsageError(`--dataset ${path}: ${fileLevel.field}: ${fileLevel.reason}`);
  if (parsed.rows.length === 0) throw new SimUsageError(`--dataset ${path}: no usable rows (${parsed.errors.length} problems)`);
  return { name: path, rows: parsed.rows, subgroups: new Map(), rowErrors: parsed.errors, rowWarnings: parsed.warnings, skippedRows: new Set(parsed.errors.map((e) => e.row)).size };
}

function firstAthletes(d: SimDataset, n: number): SimDataset {
  const ids = [...new Set(d.rows.map((r) => r.athleteId))].sort();
  if (n > ids.length) throw new SimUsageError(`--athletes ${n} exceeds the ${ids.length} athletes in ${d.name}`);
  const keep = new Set(ids.slice(0, n));
  return { ...d, rows: d.rows.filter((r) => keep.has(r.athleteId)) };
}
