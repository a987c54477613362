import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../coordinator/test/helpers/loopbackServer.ts';

export { freePort };

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface SpawnedCoordinator {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

/**
 * Runs the real coordinator CLI in its own process, as `npm run coordinator` runs it (the bundle that
 * vitest's global setup built from the current sources), and waits until it listens.
 */
export async function spawnCoordinator(args: string[]): Promise<SpawnedCoordinator> {
  const child = spawn(process.execPath, [join(repoRoot, '.huddle/build/coordinator.mjs'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coordinator did not start:\n${lines.join('\n')}`)), 30_000);
    let buf = '';
    const onData = (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        const m = /"url":"([^"]+)"/.exec(line);
        if (m && line.includes('coordinator listening')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => lines.push(c.toString()));
    void exited.then((code) => reject(new Error(`coordinator exited with ${code}:\n${lines.join('\n')}`)));
  });
  return { child, url, lines, exited };
}
