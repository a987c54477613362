import type { PostgresSyncDb } from './sql/postgresSyncDb.ts';

/**
 * PostgreSQL twin of sqliteSchema.ts: the same tables and constraints, in PostgreSQL's types. Each
 * entry upgrades the schema by one version; never edit a released entry, append a new one (and its
 * SQLite twin).
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE checkpoints (
    task TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    weights BYTEA NOT NULL,
    optimizer_state TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE rounds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    opened_at BIGINT NOT NULL
  );
  CREATE TABLE task_configs (
    task TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE ledger_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task TEXT NOT NULL,
    round_id TEXT,
    entry TEXT NOT NULL,
    charged_at BIGINT NOT NULL,
    UNIQUE (task, round_id)
  );
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst')),
    token_hash BYTEA NOT NULL UNIQUE,
    note TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE TABLE invites (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    code_hash BYTEA NOT NULL UNIQUE,
    tasks TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
  );
  CREATE TABLE enrollments (
    client_id TEXT PRIMARY KEY,
    public_key BYTEA NOT NULL UNIQUE,
    tasks TEXT NOT NULL,
    invite_id TEXT REFERENCES invites (id) ON DELETE SET NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE TABLE used_signatures (
    sig_hash BYTEA PRIMARY KEY,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE leader_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    term BIGINT NOT NULL
  );
  `,
  `
  CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BYTEA NOT NULL
  );
  `,
  `
  ALTER TABLE open_rounds ADD COLUMN selected TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE open_rounds ADD COLUMN secure_aggregation INTEGER NOT NULL DEFAULT 0;
  `,
  `
  CREATE TABLE countersignatures (
    client_id TEXT NOT NULL REFERENCES enrollments (client_id) ON DELETE CASCADE,
    auditor_key BYTEA NOT NULL,
    signature BYTEA NOT NULL,
    signed_at BIGINT NOT NULL,
    PRIMARY KEY (client_id, auditor_key)
  );
  `,
  `
  CREATE TABLE coach_invites (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    code_hash BYTEA NOT NULL UNIQUE,
    note TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
  );
  CREATE TABLE coaches (
    coach_id TEXT PRIMARY KEY,
    box_public_key BYTEA NOT NULL UNIQUE,
    token_hash BYTEA NOT NULL UNIQUE,
    invite_id TEXT REFERENCES coach_invites (id) ON DELETE SET NULL,
    enrolled_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE TABLE coach_grants (
    grant_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES enrollments (client_id) ON DELETE CASCADE,
    coach_id TEXT NOT NULL REFERENCES coaches (coach_id) ON DELETE CASCADE,
    athlete_box_key BYTEA NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE INDEX coach_grants_by_coach ON coach_grants (coach_id);
  CREATE TABLE coach_summaries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    grant_id TEXT NOT NULL REFERENCES coach_grants (grant_id) ON DELETE CASCADE,
    nonce BYTEA NOT NULL,
    ciphertext BYTEA NOT NULL,
    received_at BIGINT NOT NULL
  );
  CREATE INDEX coach_summaries_by_grant ON coach_summaries (grant_id, id);
  `,
  `
  ALTER TABLE checkpoints ADD COLUMN published TEXT;
  `,
  `
  CREATE TABLE twin_prior (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    prior TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE twin_prior_rounds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task TEXT NOT NULL,
    round_id TEXT NOT NULL UNIQUE,
    record TEXT NOT NULL
  );
  `,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** Arbitrary constant naming the advisory lock that serializes migrations across nodes starting together. */
const MIGRATION_LOCK = 4_817_331;

/** Brings the schema up to date at start; nodes starting at once take turns on an advisory lock. */
export function migratePostgres(db: PostgresSyncDb): void {
  db.transaction(() => {
    db.exec(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    db.exec('CREATE TABLE IF NOT EXISTS huddle_schema (version INTEGER NOT NULL)');
    const row = db.prepare<[], { version: number }>('SELECT version FROM huddle_schema').get();
    const current = row?.version ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(`database schema version ${current} is newer than this coordinator understands (${POSTGRES_SCHEMA_VERSION})`);
    }
    for (let v = current; v < POSTGRES_SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (!row) db.prepare('INSERT INTO huddle_schema (version) VALUES (?)').run(POSTGRES_SCHEMA_VERSION);
    else if (current < POSTGRES_SCHEMA_VERSION) db.prepare('UPDATE huddle_schema SET version = ?').run(POSTGRES_SCHEMA_VERSION);
  });
}
