import { csvRecords } from './csvRecords.ts';
import { isoFromDmy } from './dmyDate.ts';

/** A SoccerMon "wide" table: one row per date (DD.MM.YYYY in the first column), one column per player. */
export interface WideTable {
  /** ISO dates, in file order. */
  dates: string[];
  players: string[];
  /** cells[dateIndex][playerIndex], trimmed; '' is a missing value. */
  cells: string[][];
}

export function parseWideCsv(text: string, name: string): WideTable {
  let records: string[][];
  try {
    records = csvRecords(text);
  } catch (err) {
    throw new Error(`${name}: malformed CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  const [header, ...body] = records;
  if (!header || header.length < 2) throw new Error(`${name}: expected a header of a date column then player columns`);
  const players = header.slice(1).map((p) => p.trim());
  const dates: string[] = [];
  const cells: string[][] = [];
  for (const [i, record] of body.entries()) {
    if (record.length !== header.length) {
      throw new Error(`${name}: line ${i + 2} has ${record.length} cells, the header has ${header.length}`);
    }
    dates.push(isoFromDmy(record[0]!));
    cells.push(record.slice(1).map((c) => c.trim()));
  }
  return { dates, players, cells };
}
