import Database from 'better-sqlite3';

type Db = Database.Database;

/** Each entry upgrades the schema by one version; never edit a released entry, append a new one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE checkpoints (
    task TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    weights BLOB NOT NULL,
    optimizer_state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task TEXT NOT NULL,
    round INTEGER NOT NULL,
    round_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('completed', 'abandoned')),
    record TEXT NOT NULL
  );
  CREATE INDEX rounds_by_task ON rounds (task, id);
  CREATE TABLE open_rounds (
    round_id TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    round INTEGER NOT NULL,
    opened_at INTEGER NOT NULL
  );
  CREATE TABLE task_configs (
    task TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task TEXT NOT NULL,
    round_id TEXT,
    entry TEXT NOT NULL,
    charged_at INTEGER NOT NULL,
    UNIQUE (task, round_id)
  );
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst')),
    token_hash BLOB NOT NULL UNIQUE,
    note TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE invites (
    id TEXT PRIMARY KEY,
    code_hash BLOB NOT NULL UNIQUE,
    tasks TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE TABLE enrollments (
    client_id TEXT PRIMARY KEY,
    public_key BLOB NOT NULL UNIQUE,
    tasks TEXT NOT NULL,
    invite_id TEXT REFERENCES invites (id) ON DELETE SET NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE used_signatures (
    sig_hash BLOB PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
  );
  `,
  // 3: a crash-recovered round says who was selected and whether it ran under secure aggregation.
  `
  ALTER TABLE open_rounds ADD COLUMN selected TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE open_rounds ADD COLUMN secure_aggregation INTEGER NOT NULL DEFAULT 0;
  `,
  // An independent auditor's countersignatures of enrollment keys, relayed in secure rosters.
  `
  CREATE TABLE countersignatures (
    client_id TEXT NOT NULL REFERENCES enrollments (client_id) ON DELETE CASCADE,
    auditor_key BLOB NOT NULL,
    signature BLOB NOT NULL,
    signed_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, auditor_key)
  );
  `,
  // coaches (enrolled by invite, known by their box key), athletes' sharing grants, and the summaries relayed to
  // coaches, as ciphertext only (docs/coach.md).
  `
  CREATE TABLE coach_invites (
    id TEXT PRIMARY KEY,
    code_hash BLOB NOT NULL UNIQUE,
    note TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE TABLE coaches (
    coach_id TEXT PRIMARY KEY,
    box_public_key BLOB NOT NULL UNIQUE,
    token_hash BLOB NOT NULL UNIQUE,
    invite_id TEXT REFERENCES coach_invites (id) ON DELETE SET NULL,
    enrolled_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE coach_grants (
    grant_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES enrollments (client_id) ON DELETE CASCADE,
    coach_id TEXT NOT NULL REFERENCES coaches (coach_id) ON DELETE CASCADE,
    athlete_box_key BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX coach_grants_by_coach ON coach_grants (coach_id);
  CREATE TABLE coach_summaries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grant_id TEXT NOT NULL REFERENCES coach_grants (grant_id) ON DELETE CASCADE,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    received_at INTEGER NOT NULL
  );
  CREATE INDEX coach_summaries_by_grant ON coach_summaries (grant_id, id);
  `,
  // The federated evaluation published with each model version (JSON; NULL until one is validated).
  `
  ALTER TABLE checkpoints ADD COLUMN published TEXT;
  `,
  // The twin prior the federation published (one row) and the record of every twin-prior round (docs/planning.md).
  `
  CREATE TABLE twin_prior (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    prior TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE twin_prior_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task TEXT NOT NULL,
    round_id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Opens (creating if needed) the coordinator database: WAL journal, fsync on every commit, schema up to date. */
export function openSqlite(path: string): Db {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Brings a database up to SCHEMA_VERSION; refuses one newer than this coordinator. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`database schema version ${current} is newer than this coordinator understands (${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    for (let v = current; v < SCHEMA_VERSION; v++) {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
  }).immediate();
}
