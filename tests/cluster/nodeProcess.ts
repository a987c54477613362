import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/spawnCoordinator.ts';

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
  /** kill -9: no lease released, no socket closed cleanly, nothing flushed. */
  kill9(): void;
}

/**
 * A cluster node in its own process, started by the coordinator CLI bundle (`--store --redis --node-id`,
 * open mode) as an operator starts one; resolves once it listens.
 */
export async function spawnClusterNode(o: { nodeId: string; postgresUrl: string; redisUrl: string; cluster: string }): Promise<NodeProcess> {
  const args = ['--store', o.postgresUrl, '--redis', o.redisUrl, '--node-id', o.nodeId, '--cluster', o.cluster, '--open', '--tasks', 'readiness', '--port', '0', '--log-level', 'info'];
  const child = spawn(process.execPath, [join(repoRoot, '.huddle/build/coordinator.mjs'), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${o.nodeId} did not start:\n${lines.join('\n')}`)), 30_000);
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        const m = /"url":"([^"]+)"/.exec(line);
        if (m && line.includes('cluster node started')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    });
    child.stderr!.on('data', (c: Buffer) => lines.push(c.toString()));
    void exited.then((code) => reject(new Error(`node ${o.nodeId} exited with ${code}:\n${lines.join('\n')}`)));
  });
  return { child, url, lines, exited, kill9: () => void child.kill('SIGKILL') };
}
