import { otherDelimiterName, suggestColumn } from './column-suggestion.ts';
import type { RowError, RowWarning } from './parse-report.ts';
import { DAILY_LOG_COLUMNS, REQUIRED_COLUMNS } from './types.ts';
import type { DailyLogColumn } from './types.ts';

/** Where each known column sits in the file, and whether the header lets any row be read. */
export interface HeaderLayout {
  columnIndex: Map<DailyLogColumn, number>;
  cellCount: number;
  usable: boolean;
}

const KNOWN = new Set<string>(DAILY_LOG_COLUMNS);
const PRINTABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Checks header names (already trimmed): missing required columns and known columns given twice are file-level errors;
 * unknown columns are warnings, each naming the known column it most likely means. `guessedDelimiter` is papaparse's
 * guess for the file: a file that looks semicolon- or tab-separated is told to use commas.
 */
export function readCsvHeader(names: readonly string[], headerRow: number, guessedDelimiter?: string): { layout: HeaderLayout; errors: RowError[]; warnings: RowWarning[] } {
  const columnIndex = new Map<DailyLogColumn, number>();
  const errors: RowError[] = [];
  const unknown: number[] = [];
  const repeated = new Set<string>();
  names.forEach((name, index) => {
    if (!KNOWN.has(name)) unknown.push(index);
    else if (columnIndex.has(name as DailyLogColumn)) repeated.add(name);
    else columnIndex.set(name as DailyLogColumn, index);
  });

  const missing = REQUIRED_COLUMNS.filter((column) => !columnIndex.has(column));
  if (names.every((name) => name === '')) {
    errors.push({ row: headerRow, field: '(header)', reason: 'no column names on the header line (empty file?)' });
  } else if (missing.length > 0 && otherDelimiterName(guessedDelimiter) && names.length === 1) {
    errors.push({ row: headerRow, field: '(header)', reason: `the file looks ${otherDelimiterName(guessedDelimiter)}-separated; use commas (the daily-log format is comma-separated)` });
  } else if (missing.length > 0) {
    const renamed = unknown.map((index) => names[index] ?? '').filter((name) => PRINTABLE_NAME.test(name));
    const hints = missing.map((column) => {
      const from = renamed.find((name) => suggestColumn(name, [column]) === column);
      return from ? `${column} (is '${from}' meant to be '${column}'?)` : column;
    });
    errors.push({ row: headerRow, field: '(header)', reason: `missing required columns: ${hints.join(', ')}` });
  }
  for (const name of repeated) errors.push({ row: headerRow, field: name, reason: 'column appears more than once in the header' });

  // If required columns are missing, the first line may be data rather than a header: name unknown columns by position only.
  const looksLikeHeader = missing.length === 0;
  const warnings = unknown.map((index): RowWarning => {
    const name = names[index] ?? '';
    const printable = looksLikeHeader && PRINTABLE_NAME.test(name);
    const field = printable ? name : `column ${index + 1}`;
    if (name === '') return { row: headerRow, field, reason: 'unnamed column ignored' };
    const meant = printable ? suggestColumn(name, DAILY_LOG_COLUMNS.filter((c) => !columnIndex.has(c))) : null;
    return { row: headerRow, field, reason: printable ? `unknown column '${name}' ignored${meant ? ` (did you mean '${meant}'?)` : ''}` : 'unknown column ignored' };
  });

  return { layout: { columnIndex, cellCount: names.length, usable: errors.length === 0 }, errors, warnings };
}
