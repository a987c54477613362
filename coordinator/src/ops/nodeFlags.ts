import { spawn } from 'node:child_process';

/**
 * V8 flags a cluster node runs with. A young generation of 2 x 8 MB instead of V8's 2 x 16 MB: a node's peak RSS
 * under a 10,000-client round drops by about 16 MB at no measured cost in round time or CPU (docs/load-bench.md,
 * session 12). They size the heap when V8 starts, so a node started without them runs itself again with them.
 */
export const CLUSTER_NODE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

const flagName = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');

/** The flags of `wanted` this process was not started with (by name: an operator's own value of one is kept). */
export function missingNodeFlags(wanted: readonly string[], execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const given = new Set([...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)].map(flagName));
  return wanted.filter((flag) => !given.has(flagName(flag)));
}

/**
 * Runs this command again in a child Node process with `flags` added, and resolves to its exit code. SIGINT and
 * SIGTERM are passed on (the child shuts down cleanly); if this process dies without a word (kill -9), the child
 * kills itself the same way, so that a supervisor's kill still stops the node.
 */
export function rerunWithNodeFlags(flags: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...flags, process.argv[1]!, ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, HUDDLE_RERUN_OF: String(process.pid) },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

/** In the child of rerunWithNodeFlags: dies as if killed when its parent is gone. */
export function followParent(): void {
  if (!process.env.HUDDLE_RERUN_OF || !process.send) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // The channel must not keep the node alive by itself, nor its parent waiting on it.
  process.channel?.unref();
}
