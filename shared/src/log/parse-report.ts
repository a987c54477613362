import type { DailyLogRow } from './types.ts';

/**
 * A problem found while reading a daily-log file.
 * `row` is the line number where the record starts, counted as a person counts lines in the file: the header is line 1,
 * so the first data row is row 2 (blank lines count as lines; a quoted cell spanning lines makes the next record start later).
 * `row` is the header's line (1) for file-level problems.
 * `field` is a CSV column name, or `(row)` for a malformed record, `(header)` for a problem with the header as a whole,
 * `(file)` when the input could not be read at all.
 */
export interface RowError {
  row: number;
  field: string;
  /** Never present: raw log values are never echoed (privacy rule: never log or send a raw log value). */
  value?: never;
  reason: string;
}

/** Same shape as `RowError`; warnings never refuse a row. */
export type RowWarning = RowError;

/**
 * Every data record ends either in `rows` or with at least one entry in `errors` naming its row; a file-level error
 * (row 1, the header) refuses every record. Records whose cells are all blank carry no data and are skipped.
 */
export interface DailyLogParseResult {
  rows: DailyLogRow[];
  errors: RowError[];
  warnings: RowWarning[];
}
