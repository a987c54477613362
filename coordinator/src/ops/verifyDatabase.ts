import Database from 'better-sqlite3';
import { migrate, openSqlite, SCHEMA_VERSION } from '../store/sqliteSchema.ts';

type Db = Database.Database;

/** Table name -> its columns (name and declared type), in order. */
function schemaOf(db: Db): Map<string, string> {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
  return new Map(tables.map(({ name }) => [name, db.prepare<[], { name: string; type: string }>(`PRAGMA table_info("${name.replace(/"/g, '""')}")`).all().map((c) => `${c.name} ${c.type}`).join(', ')]));
}

function checkSound(db: Db, what: string): void {
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') throw new Error(`${what} fails SQLite's integrity check: ${String(integrity)}`);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (!Number.isInteger(version) || version < 1 || version > SCHEMA_VERSION) {
    throw new Error(`${what} is not a coordinator database this version can read (schema version ${version}; this coordinator knows 1 to ${SCHEMA_VERSION})`);
  }
  const broken = db.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) throw new Error(`${what} has ${broken.length} broken foreign key reference(s)`);
}

function compareSchemas(got: Map<string, string>, want: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [table, columns] of want) {
    if (!got.has(table)) problems.push(`table ${table} is missing`);
    else if (got.get(table) !== columns) problems.push(`table ${table} has columns (${got.get(table)}), expected (${columns})`);
  }
  for (const table of got.keys()) if (!want.has(table)) problems.push(`unexpected table ${table}`);
  return problems;
}

/**
 * Throws unless `path` is a sound coordinator database: it passes SQLite's integrity and foreign
 * key checks, and once migrated (on a private in-memory copy: the file is only read) its tables
 * and columns are exactly those this coordinator creates.
 */
export function verifyCoordinatorDatabase(path: string, what: string): void {
  let source: Db;
  try {
    source = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${what} cannot be opened as an SQLite database: ${(err as Error).message}`);
  }
  try {
    try {
      checkSound(source, what);
    } catch (err) {
      if (err instanceof Database.SqliteError) throw new Error(`${what} is not a readable SQLite database: ${err.message}`);
      throw err;
    }
    const image = source.serialize();
    // Header bytes 18-19 say "WAL"; an in-memory database cannot use a WAL, so mark the copy rollback-journal.
    image[18] = 1;
    image[19] = 1;
    const migrated = new Database(image);
    const fresh = openSqlite(':memory:');
    try {
      const before = schemaOf(migrated);
      try {
        migrate(migrated);
      } catch (err) {
        // A migration cannot apply to tables that are not there: name what is missing rather than the SQL error.
        const missing = compareSchemas(before, schemaOf(fresh)).filter((p) => p.endsWith('is missing'));
        throw new Error(`${what} does not have the coordinator's schema: ${(missing.length > 0 ? missing : [(err as Error).message]).slice(0, 5).join('; ')}`);
      }
      const problems = compareSchemas(schemaOf(migrated), schemaOf(fresh));
      if (problems.length > 0) throw new Error(`${what} does not have the coordinator's schema: ${problems.slice(0, 5).join('; ')}`);
    } finally {
      migrated.close();
      fresh.close();
    }
  } finally {
    source.close();
  }
}
