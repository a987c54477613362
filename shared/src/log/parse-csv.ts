import Papa from 'papaparse';
import type { ParseStepResult } from 'papaparse';
import { readCsvHeader } from './csv-header.ts';
import type { HeaderLayout } from './csv-header.ts';
import { isBlank } from './cell-readers.ts';
import { LineLocator } from './line-locator.ts';
import type { DailyLogParseResult, RowError } from './parse-report.ts';
import { readDailyLogRow } from './validate-row.ts';

type RawRecord = Record<string, string | string[] | undefined>;

const EXTRA_CELLS = '__parsed_extra';
const DELIMITER_SAMPLE_CHARS = 4096;
const LEADING_BLANK_LINES = /^(?:[ \t]*(?:\r\n|\n|\r))+/;

/**
 * Reads a daily-log CSV (comma-separated, header line first; see `DailyLogParseResult` for the guarantees).
 * Never throws. A record with any bad field is refused whole and each bad field is reported; for an athlete-day given
 * twice, the first record in the file claims the day (even if it is refused) and later ones are reported as duplicates.
 * Blank lines, and lines whose cells are all blank, are skipped (they still count as lines for row numbers).
 */
export function parseDailyLogCsv(text: string): DailyLogParseResult {
  const result: DailyLogParseResult = { rows: [], errors: [], warnings: [] };
  if (typeof text !== 'string') {
    result.errors.push({ row: 1, field: '(file)', reason: 'input is not text' });
    return result;
  }
  const { body, skippedLines } = dropLeadingBlankLines(stripBom(text));
  const headerRow = skippedLines + 1;
  const names: string[] = [];
  let header: HeaderLayout | null = null;
  let locator: LineLocator | null = null;
  const firstRowOfDay = new Map<string, number>();

  const openHeader = (): HeaderLayout => {
    const read = readCsvHeader(names, headerRow, guessDelimiter(body));
    result.errors.push(...read.errors);
    result.warnings.push(...read.warnings);
    return read.layout;
  };

  try {
    Papa.parse<RawRecord>(body, {
      header: true,
      skipEmptyLines: 'greedy',
      delimiter: ',',
      // Positional keys: papaparse then never renames duplicate names, and no header name can clash with its own keys.
      transformHeader: (name, index) => {
        names[index] = name.trim();
        return `c${index}`;
      },
      step: (step, parser) => {
        header ??= openHeader();
        if (!header.usable) {
          parser.abort();
          return;
        }
        locator ??= new LineLocator(body, step.meta.linebreak);
        const row = Math.max(headerRow + 1, skippedLines + recordStartLine(step, header, locator));
        const errors = structuralErrors(step, header);
        if (errors.length > 0) {
          result.errors.push(...errors.map((reason): RowError => ({ row, field: '(row)', reason })));
          return;
        }
        readRecord(step.data, header, row, firstRowOfDay, result);
      },
    });
  } catch {
    result.errors.push({ row: headerRow, field: '(file)', reason: 'the file could not be read as CSV past this point' });
  }
  header ??= openHeader();
  return result;
}

function readRecord(data: RawRecord, header: HeaderLayout, row: number, firstRowOfDay: Map<string, number>, result: DailyLogParseResult): void {
  const { values, errors } = readDailyLogRow((column) => {
    const index = header.columnIndex.get(column);
    return index === undefined ? undefined : data[`c${index}`];
  });
  const dayIsKnown = !errors.some((e) => e.field === 'athlete_id' || e.field === 'date');
  if (dayIsKnown) {
    const day = `${values.athleteId}\n${values.date}`;
    const first = firstRowOfDay.get(day);
    if (first === undefined) firstRowOfDay.set(day, row);
    else errors.push({ field: 'date', reason: `duplicate athlete-day: same athlete_id and date as row ${first}` });
  }
  if (errors.length === 0) result.rows.push(values);
  else result.errors.push(...errors.map((e): RowError => ({ row, field: e.field, reason: e.reason })));
}

function structuralErrors(step: ParseStepResult<RawRecord>, header: HeaderLayout): string[] {
  if (step.errors.some((e) => e.code === 'MissingQuotes')) {
    return ['unterminated quoted cell: the rest of the file was read into this row'];
  }
  const reasons: string[] = [];
  if (step.errors.some((e) => e.code === 'InvalidQuotes')) reasons.push('malformed quotes');
  const cells = cellsOf(step.data, header);
  const extra = extraCellsOf(step.data);
  if (cells.length < header.cellCount) reasons.push(`has ${cells.length} cells but the header has ${header.cellCount}`);
  else if (extra.some((cell) => !isBlank(cell))) reasons.push(`has ${cells.length + extra.length} cells but the header has ${header.cellCount}`);
  return reasons;
}

function recordStartLine(step: ParseStepResult<RawRecord>, header: HeaderLayout, locator: LineLocator): number {
  const end = step.meta.cursor;
  const unterminatedQuote = step.errors.some((e) => e.code === 'MissingQuotes');
  const cells = [...cellsOf(step.data, header), ...extraCellsOf(step.data)];
  return locator.startLine(end, cells, !unterminatedQuote && locator.endsWithBreak(end));
}

function cellsOf(data: RawRecord, header: HeaderLayout): string[] {
  const cells: string[] = [];
  for (let i = 0; i < header.cellCount; i++) {
    const cell = data[`c${i}`];
    if (typeof cell === 'string') cells.push(cell);
  }
  return cells;
}

function extraCellsOf(data: RawRecord): string[] {
  const extra = data[EXTRA_CELLS];
  return Array.isArray(extra) ? extra.filter((cell) => typeof cell === 'string') : [];
}

/** papaparse's own delimiter guess from the first lines (`,` `\t` `|` `;`), to tell a wrongly separated file apart. */
function guessDelimiter(body: string): string | undefined {
  try {
    return Papa.parse(body.slice(0, DELIMITER_SAMPLE_CHARS), { preview: 5, skipEmptyLines: 'greedy' }).meta.delimiter;
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function dropLeadingBlankLines(text: string): { body: string; skippedLines: number } {
  const blank = LEADING_BLANK_LINES.exec(text)?.[0] ?? '';
  return { body: text.slice(blank.length), skippedLines: blank.match(/\r\n|\n|\r/g)?.length ?? 0 };
}
