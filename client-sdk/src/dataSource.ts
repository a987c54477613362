import type { DailyLogRow } from '@huddle/shared/log';

/** Where a client's own daily log comes from. Rows never leave the device. */
export interface DataSource {
  load(): Promise<DailyLogRow[]>;
  /** Changes whenever the rows change, so derived features can be cached. */
  version(): number;
}

export class InMemoryDataSource implements DataSource {
  private rows: DailyLogRow[];
  private v = 0;

  constructor(rows: readonly DailyLogRow[]) {
    this.rows = [...rows];
  }

  async load(): Promise<DailyLogRow[]> {
    return this.rows;
  }

  version(): number {
    return this.v;
  }

  replace(rows: readonly DailyLogRow[]): void {
    this.rows = [...rows];
    this.v++;
  }
}
