import { readFile } from 'node:fs/promises';
import { parseDailyLogCsv, type DailyLogRow } from '@huddle/shared/log';
import type { Logger } from '@huddle/shared/util';
import type { DataSource } from '../dataSource.ts';

/**
 * One athlete's rows from a daily-log CSV on this device. Bad rows are reported (row, field,
 * reason: never the value) and skipped; the client keeps running.
 */
export class CsvFileDataSource implements DataSource {
  private mtime = 0;

  constructor(private readonly path: string, private readonly athleteId?: string, private readonly logger?: Logger) {}

  async load(): Promise<DailyLogRow[]> {
    const text = await readFile(this.path, 'utf8');
    const { rows, errors } = parseDailyLogCsv(text);
    for (const e of errors) this.logger?.warn({ file: this.path, row: e.row, field: e.field }, `skipped a log row: ${e.reason}`);
    const ids = new Set(rows.map((r) => r.athleteId));
    if (!this.athleteId && ids.size > 1) throw new Error(`${this.path} holds ${ids.size} athletes; name the one this client is`);
    return this.athleteId ? rows.filter((r) => r.athleteId === this.athleteId) : rows;
  }

  version(): number {
    return this.mtime;
  }

  /** Call after the file changed. */
  touch(): void {
    this.mtime++;
  }
}
