import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, pollUntilReady, stopChild } from './loopbackServer.ts';

/** A throwaway Redis server on loopback (Debian's redis-server, installed with apt-get when missing and root). */
export interface RedisServer {
  readonly url: string;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

function redisBinary(): string {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) if (existsSync(p)) return p;
  if (process.getuid?.() !== 0) throw new Error('redis-server is not installed: run `apt-get install -y redis-server` (the tests need a real server)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (spawnSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'ignore', env }).status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'ignore', env });
  }
  if (!existsSync('/usr/bin/redis-server')) throw new Error('could not install redis-server with apt-get');
  return '/usr/bin/redis-server';
}

/** `config`: extra redis-server settings, e.g. `['--client-output-buffer-limit', 'pubsub 256mb 64mb 60']`. */
export async function startRedis(config: string[] = []): Promise<RedisServer> {
  const bin = redisBinary();
  const dir = mkdtempSync(join(tmpdir(), 'huddle-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const startServer = async (): Promise<void> => {
    child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...config], { stdio: 'ignore' });
    const proc = child;
    const probe = async (): Promise<void> => {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.ping();
      } finally {
        client.disconnect();
      }
    };
    await pollUntilReady(probe, {
      timeoutMs: 15_000,
      dead: () => proc.exitCode !== null,
      failure: (why) => new Error(why === 'exited' ? 'redis-server exited' : 'redis-server did not start within 15 s'),
    });
  };
  const stopServer = async (): Promise<void> => {
    const proc = child;
    child = null;
    await stopChild(proc, 'SIGKILL');
  };
  await startServer();
  return {
    url,
    startServer,
    stopServer,
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
