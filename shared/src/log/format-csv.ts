import Papa from 'papaparse';
import { COLUMN_FIELDS } from './columns.ts';
import { DAILY_LOG_COLUMNS } from './types.ts';
import type { DailyLogRow } from './types.ts';

/**
 * Writes rows in the daily-log format: a header with every column, one line per row, nulls as empty cells, `\n` line
 * ends. Rows are written as given (validate them first); `parseDailyLogCsv(formatDailyLogCsv(rows))` returns `rows`.
 */
export function formatDailyLogCsv(rows: readonly DailyLogRow[]): string {
  const data = rows.map((row) => DAILY_LOG_COLUMNS.map((column) => cellText(row[COLUMN_FIELDS[column]])));
  return `${Papa.unparse({ fields: [...DAILY_LOG_COLUMNS], data }, { newline: '\n' })}\n`;
}

function cellText(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
