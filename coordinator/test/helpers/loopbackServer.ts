import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Calls `probe` every 100 ms until it resolves; throws `failure()` when `dead()` or after `timeoutMs`. */
export async function pollUntilReady(probe: () => Promise<void>, opts: { timeoutMs: number; dead: () => boolean; failure: (why: 'exited' | 'timeout') => Error }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.dead()) throw opts.failure('exited');
    try {
      await probe();
      return;
    } catch {
      if (Date.now() > deadline) throw opts.failure('timeout');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Sends `signal` to a running child and waits for it to exit. */
export async function stopChild(proc: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill(signal);
  });
}
