import { createRequire } from 'node:module';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { startSideJob, type SideJob } from '../../ops/sideThread.ts';
import { POSTGRES_JOB_SOURCE } from './postgresJobSource.ts';
import type { SqlStatement, SyncDb } from './syncDb.ts';

export interface PostgresSyncDbOptions {
  /** How long to wait for a connection (ms). */
  connectTimeoutMs?: number;
  /** How long one statement may take before it fails (ms). */
  queryTimeoutMs?: number;
}

type Reply = { ok: true; rows?: Record<string, unknown>[]; rowCount?: number } | { ok: false; message: string; code: string | null };

/** A PostgreSQL error, or the database not answering; `code` is the SQLSTATE when the server gave one. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK = '40P01';

/**
 * PostgreSQL behind the synchronous SyncDb surface: a job on the process's side thread (ops/sideThread.ts) holds
 * one `pg` connection and the calling thread blocks on Atomics.wait until the statement's answer is back. The store makes a
 * handful of statements per round and per connection handshake, so blocking costs a loopback round
 * trip each (about 0.1-0.3 ms) and buys one implementation of every table for both databases.
 */
export class PostgresSyncDb implements SyncDb {
  readonly dialect = 'postgres' as const;
  private readonly job: SideJob;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private readonly waitMs: number;
  private depth = 0;
  private closed = false;

  constructor(url: string, options: PostgresSyncDbOptions = {}) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    const queryTimeoutMs = options.queryTimeoutMs ?? 15_000;
    this.waitMs = connectTimeoutMs + queryTimeoutMs + 1_000;
    const signal = new SharedArrayBuffer(4);
    this.flag = new Int32Array(signal);
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.job = startSideJob('postgres', POSTGRES_JOB_SOURCE, { signal, url, connectTimeoutMs, queryTimeoutMs, pgPath });
    this.port = this.job.port;
    try {
      this.query('SELECT 1');
    } catch (err) {
      this.closed = true;
      this.port.close();
      this.job.end();
      throw err;
    }
  }

  get open(): boolean {
    return !this.closed;
  }

  prepare<P extends unknown[], R>(sql: string): SqlStatement<P, R> {
    const text = numberPlaceholders(sql);
    return {
      get: (...params: P) => this.query(text, params).rows[0] as R | undefined,
      all: (...params: P) => this.query(text, params).rows as R[],
      run: (...params: P) => ({ changes: this.query(text, params).rowCount }),
    };
  }

  exec(sql: string): void {
    this.query(sql);
  }

  transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    for (let attempt = 1; ; attempt++) {
      this.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      this.depth++;
      try {
        const result = fn();
        this.query('COMMIT');
        return result;
      } catch (err) {
        try {
          this.query('ROLLBACK');
        } catch {
          // the connection is gone; the server rolls the transaction back itself
        }
        const code = err instanceof PostgresError ? err.code : null;
        if ((code === SERIALIZATION_FAILURE || code === DEADLOCK) && attempt < 5) continue;
        throw err;
      } finally {
        this.depth--;
      }
    }
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ type: 'close' });
    } finally {
      this.closed = true;
      this.port.close();
      this.job.end();
    }
  }

  private query(sql: string, params: readonly unknown[] = []): { rows: Record<string, unknown>[]; rowCount: number } {
    if (this.closed) throw new PostgresError('the PostgreSQL store is closed', null);
    const reply = this.call({ type: 'query', sql, params });
    return { rows: (reply.rows ?? []).map(bytesAsBuffers), rowCount: reply.rowCount ?? 0 };
  }

  private call(message: unknown): Extract<Reply, { ok: true }> {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(message);
    if (Atomics.wait(this.flag, 0, 0, this.waitMs) === 'timed-out') {
      throw new PostgresError(`PostgreSQL did not answer within ${Math.round(this.waitMs / 1000)} s`, null);
    }
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new PostgresError('the PostgreSQL job signalled without an answer', null);
    const reply = received.message as Reply;
    if (!reply.ok) throw new PostgresError(`PostgreSQL: ${reply.message}`, reply.code);
    return reply;
  }
}

/** `?` placeholders (the SQLite form the tables are written in) as PostgreSQL's `$1, $2, ...`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

function bytesAsBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (v instanceof Uint8Array && !Buffer.isBuffer(v)) row[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return row;
}
