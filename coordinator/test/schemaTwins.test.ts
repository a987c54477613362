import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openSqlite } from '../src/store/sqliteSchema.ts';
import { PostgresStore } from '../src/store/postgresStore.ts';
import { startPostgres, type PostgresServer } from './helpers/postgresServer.ts';
import { tempDir } from './helpers/tempDir.ts';

/** Tables only one database has, by design: PostgreSQL's migration bookkeeping and the scale-out leader lease. */
const POSTGRES_ONLY = new Set(['huddle_schema', 'leader_leases']);
/** PostgreSQL's stand-in for SQLite's implicit rowid (invite listing order). */
const POSTGRES_ONLY_COLUMNS = new Set(['invites.seq']);

let postgres: PostgresServer;
beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

describe('the SQLite and PostgreSQL schemas are twins', () => {
  it('every table has the same columns in both, after all migrations', async () => {
    const tmp = tempDir();
    const sqlite = openSqlite(`${tmp.dir}/twins.sqlite`);
    const sqliteTables = new Map<string, string[]>();
    for (const { name } of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
      sqliteTables.set(name, (sqlite.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => c.name).sort());
    }
    sqlite.close();
    tmp.remove();

    const url = await postgres.createSchema();
    PostgresStore.connect(url).close();
    const schema = decodeURIComponent(url).match(/search_path=(\w+)/)![1]!;
    const client = new pg.Client({ connectionString: url.split('?')[0] });
    await client.connect();
    const rows = (await client.query<{ table_name: string; column_name: string }>('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1', [schema])).rows;
    await client.end();
    const postgresTables = new Map<string, string[]>();
    for (const r of rows) if (!POSTGRES_ONLY.has(r.table_name) && !POSTGRES_ONLY_COLUMNS.has(`${r.table_name}.${r.column_name}`)) postgresTables.set(r.table_name, [...(postgresTables.get(r.table_name) ?? []), r.column_name]);
    for (const cols of postgresTables.values()) cols.sort();

    expect(sqliteTables.has('countersignatures')).toBe(true);
    expect(Object.fromEntries([...postgresTables].sort())).toEqual(Object.fromEntries([...sqliteTables].sort()));
  }, 60_000);
});
