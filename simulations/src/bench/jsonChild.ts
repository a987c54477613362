import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type ChildEvent = { event: string } & Record<string, unknown>;

/** A bench helper process (`node .huddle/build/NAME.mjs args`) that talks one JSON object a line on stdout and stdin. */
export interface JsonChild {
  readonly process: ChildProcess;
  /** The next event of this name, or a rejection at the deadline or when the child exits first. */
  waitEvent<T extends ChildEvent>(name: string, deadline: number): Promise<T>;
  send(command: object): void;
  /** The end of what the child wrote to stderr. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Build {
  buildDir: string;
  ENTRIES: Record<string, string>;
  upToDate(): boolean;
  buildAll(): Promise<number>;
}

/**
 * The path of the esbuild bundle of a helper entry of scripts/build.mjs (e.g. 'load-node'), rebuilt first when a
 * source changed since the last build. A bundle runs with plain `node`: no TypeScript compiled at start, and only
 * the modules it uses are loaded (a node process under tsx held about 90 MB more before its first socket).
 */
export async function bundledEntry(name: string): Promise<string> {
  const build = (await import(pathToFileURL(join(root, 'scripts', 'build.mjs')).href)) as Build;
  if (!(name in build.ENTRIES)) throw new Error(`scripts/build.mjs has no entry ${name}`);
  if (!build.upToDate()) await build.buildAll();
  return join(build.buildDir, `${name}.mjs`);
}

/** Starts `node [v8Flags] script args` (script: a bundle from bundledEntry). */
export function spawnJsonChild(label: string, script: string, args: string[], v8Flags: string[] = []): JsonChild {
  // HUDDLE_BENCH_PROFILE=DIR writes each helper process's V8 CPU profile there (docs/load-bench.md).
  const profile = process.env.HUDDLE_BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.HUDDLE_BENCH_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, ...v8Flags, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()));
  // HUDDLE_BENCH_LOG=DIR keeps each helper process's whole stderr (the nodes' warnings) in DIR/<label>.log.
  if (process.env.HUDDLE_BENCH_LOG) child.stderr!.pipe(createWriteStream(join(process.env.HUDDLE_BENCH_LOG, `${label.replace(/[^\w-]+/g, '-')}.log`)));
  const listeners = new Set<(o: ChildEvent) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let o: ChildEvent;
    try {
      o = JSON.parse(line) as ChildEvent;
    } catch {
      return; // not ours
    }
    listeners.forEach((f) => f(o));
  });
  return {
    process: child,
    waitEvent: <T extends ChildEvent>(name: string, deadline: number) =>
      new Promise<T>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        const timer = setTimeout(() => (done(), reject(new Error(`timed out waiting for ${label}'s "${name}"`))), Math.max(0, deadline - Date.now()));
        const listener = (o: ChildEvent) => {
          if (o.event === name) (done(), resolve(o as T));
        };
        listeners.add(listener);
        void exited.then((code) => (done(), reject(new Error(`${label} exited (${code}) before "${name}":\n${stderr.join('').slice(-2000)}`))));
      }),
    stderrTail: () => stderr.join('').slice(-2000),
    send: (command) => void child.stdin!.write(`${JSON.stringify(command)}\n`),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
