import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { migratePostgres } from '../src/store/postgresSchema.ts';
import { migrate } from '../src/store/sqliteSchema.ts';
import { PostgresSyncDb } from '../src/store/sql/postgresSyncDb.ts';
import { usePostgres } from './helpers/usePostgres.ts';

const postgres = usePostgres();

/** PostgreSQL-only parts: the leader lease (several nodes) and ordering columns standing in for SQLite's rowid. */
const POSTGRES_ONLY = new Set(['leader_leases', 'huddle_schema', 'invites.seq', 'coach_invites.seq']);

it('the SQLite and PostgreSQL schemas have the same tables and columns', async () => {
  const lite = new Database(':memory:');
  migrate(lite);
  const liteCols = new Set<string>();
  for (const { name } of lite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]) {
    for (const c of lite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]) liteCols.add(`${name}.${c.name}`);
  }
  lite.close();
  const pg = new PostgresSyncDb(await postgres.createSchema());
  try {
    migratePostgres(pg);
    const rows = pg.prepare<[], { table_name: string; column_name: string }>('SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()').all();
    const pgCols = new Set(rows.filter((r) => !POSTGRES_ONLY.has(r.table_name) && !POSTGRES_ONLY.has(`${r.table_name}.${r.column_name}`)).map((r) => `${r.table_name}.${r.column_name}`));
    expect([...pgCols].sort()).toEqual([...liteCols].sort());
    expect([...liteCols]).toEqual(expect.arrayContaining(['coach_summaries.ciphertext', 'coach_grants.expires_at', 'countersignatures.signature']));
  } finally {
    pg.close();
  }
});
