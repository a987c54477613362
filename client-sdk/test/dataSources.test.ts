import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_DAILY_LOG_ROWS, formatDailyLogCsv, type DailyLogRow } from '@huddle/shared/log';
import { silentLogger, type Logger } from '@huddle/shared/util';
import { InMemoryDataSource } from '@huddle/client-sdk';
import { CsvFileDataSource } from '@huddle/client-sdk/node';

const dir = mkdtempSync(join(tmpdir(), 'huddle-sdk-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const other: DailyLogRow = { ...EXAMPLE_DAILY_LOG_ROWS[0]!, athleteId: 'athlete-02' };

describe('InMemoryDataSource', () => {
  it('serves its rows and changes version when they are replaced', async () => {
    const source = new InMemoryDataSource(EXAMPLE_DAILY_LOG_ROWS);
    expect(await source.load()).toEqual(EXAMPLE_DAILY_LOG_ROWS);
    const before = source.version();
    source.replace([other]);
    expect(source.version()).not.toBe(before);
    expect(await source.load()).toEqual([other]);
  });
});

describe('CsvFileDataSource', () => {
  it("reads only its athlete's rows, skipping bad rows with a warning that names row and field but not the value", async () => {
    const path = join(dir, 'log.csv');
    const csv = formatDailyLogCsv([...EXAMPLE_DAILY_LOG_ROWS, other]).replace('2024-03-02,0,4,', '2024-03-02,0,47.25,');
    writeFileSync(path, csv);
    const warnings: { meta: object; message: string | undefined }[] = [];
    const logger: Logger = { ...silentLogger, warn: (meta, message) => void warnings.push({ meta, message }) };
    const rows = await new CsvFileDataSource(path, 'athlete-01', logger).load();
    expect(rows).toEqual([EXAMPLE_DAILY_LOG_ROWS[0]]);
    expect(warnings).toEqual([{ meta: { file: path, row: 3, field: 'readiness' }, message: 'skipped a log row: out of range: must be from 0 to 10' }]);
    expect(JSON.stringify(warnings)).not.toContain('47.25');
  });

  it('refuses a file of several athletes when no athlete is named', async () => {
    const path = join(dir, 'two.csv');
    writeFileSync(path, formatDailyLogCsv([EXAMPLE_DAILY_LOG_ROWS[0]!, other]));
    await expect(new CsvFileDataSource(path).load()).rejects.toThrow(/holds 2 athletes; name the one this client is/);
  });
});
