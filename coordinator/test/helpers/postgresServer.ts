import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, pollUntilReady, stopChild } from './loopbackServer.ts';

/** A throwaway PostgreSQL server on loopback, for tests: its own data directory, port and socket folder. */
export interface PostgresServer {
  readonly port: number;
  /** Connection string for database `db` (default `postgres`). */
  url(db?: string): string;
  /** A new empty database; returns its connection string. */
  createDatabase(): Promise<string>;
  /** A new empty schema in the default database (much cheaper than a database); returns a connection string using it. */
  createSchema(): Promise<string>;
  /** Stops accepting connections (for outage tests); `start` brings it back on the same port and data. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL binaries, installed with apt-get when missing and we are root; never skipped. */
export function postgresBinDir(): string {
  const find = (): string | null => {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return null;
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    return versions.length > 0 ? join(root, versions[0]!, 'bin') : null;
  };
  const found = find();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL is not installed: run `apt-get install -y postgresql` (the tests need a real server)');
  for (const args of [['install', '-y', 'postgresql'], ['update'], ['install', '-y', 'postgresql']]) {
    const r = spawnSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status === 0 && args[0] === 'install' && find()) break;
  }
  const installed = find();
  if (!installed) throw new Error('could not install PostgreSQL with apt-get');
  return installed;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'huddle-pg-'));
  const data = join(dir, 'data');
  // PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user.
  const ids = asRoot ? spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }) : null;
  const uid = ids ? Number(ids.stdout.trim()) : undefined;
  const gid = asRoot ? Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : undefined;
  if (asRoot) chownSync(dir, uid!, gid!);
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], { uid, gid, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let child: ChildProcess | null = null;
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`;

  const startServer = async (): Promise<void> => {
    const proc = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'], {
      uid,
      gid,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    child = proc;
    const probe = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: url() });
      try {
        await client.connect();
      } finally {
        await client.end().catch(() => {});
      }
    };
    await pollUntilReady(probe, {
      timeoutMs: 20_000,
      dead: () => proc.exitCode !== null,
      failure: (why) => new Error(why === 'exited' ? `postgres exited: ${log}` : `postgres did not start within 20 s: ${log}`),
    });
  };
  const stopServer = async (): Promise<void> => {
    const proc = child;
    child = null;
    await stopChild(proc, 'SIGINT');
  };
  await startServer();
  let n = 0;
  return {
    port,
    url,
    async createDatabase() {
      const name = `huddle_${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async createSchema() {
      const name = `huddle_${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${name}`);
      } finally {
        await client.end();
      }
      return `${url()}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    stopServer,
    startServer,
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
