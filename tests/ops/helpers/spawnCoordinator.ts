import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface SpawnedCoordinator {
  child: ChildProcess;
  url: string;
  /** The admin token if the CLI printed one (first start only). */
  adminToken: string | null;
  /** Everything written so far, for diagnostics. */
  output(): string;
  /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves with the exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | NodeJS.Signals | null>;
}

const URL_IN_LOG = /"url":"(https?:\/\/[^"]+)"/;
const ADMIN_TOKEN = /admin token[^:\n]*:\s*(hdl_[A-Za-z0-9_-]+)/i;

/**
 * Starts `node --import tsx coordinator/src/cli.ts --port 0 ...args` from the repository root and
 * resolves once its "coordinator listening" log line names the URL.
 */
export function spawnCoordinator(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<SpawnedCoordinator> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'coordinator/src/cli.ts', '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let adminToken: string | null = null;
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let settled = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`coordinator did not report its URL within ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\n--- output ---\n${out.slice(-4000)}`));
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      adminToken ??= ADMIN_TOKEN.exec(out)?.[1] ?? null;
      const url = URL_IN_LOG.exec(out)?.[1];
      if (!url || settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.on('data', (c: Buffer) => void (out += c.toString('utf8')));
      resolve({
        child,
        url,
        adminToken,
        output: () => out,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      adminToken ??= ADMIN_TOKEN.exec(out)?.[1] ?? null;
    });
    child.once('exit', (code, signal) => fail(new Error(`coordinator exited early (${signal ?? code})`)));
  });
}
