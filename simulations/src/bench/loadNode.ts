import { createInterface } from 'node:readline';
import pino from 'pino';
import { deadFrameCollections, startClusterNode } from '@huddle/coordinator';
import { isEntryPoint, stripDashDash } from '../cli/args.ts';
import { benchSpec } from './benchSpec.ts';
import { cpuMs, LOAD_TASK, loadTaskConfig, mb } from './loadTask.ts';
import { phaseLogger, type Phases } from './phaseLog.ts';
import { MemoryLog } from './memoryLog.ts';

/**
 * One coordinator node of `pnpm bench load --nodes N`, in its own process: a real cluster node (startClusterNode:
 * socket.io with the Redis adapter, leader lease and store in PostgreSQL). Talks to load.ts one JSON object a line:
 * prints {"event":"listening","url"} and {"event":"leading"} once it holds the lease; reads {"cmd":"round"} (the
 * leader waits for every client, runs one round and prints {"event":"round",...}) and {"cmd":"report"} (prints its
 * peak RSS, sampled every 20 ms from start, and its memory breakdown at each step: memoryLog.ts); {"cmd":"joined"} notes
 * a follower's memory once every client joined.
 */

function security(v: string): 'enrolled' | 'open' {
  if (v !== 'enrolled' && v !== 'open') throw new Error(`--security is enrolled or open, not ${v}`);
  return v;
}

function arg(args: string[], name: string): string {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? args[i + 1] : undefined;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const args = stripDashDash(argv);
  const nodeId = arg(args, 'node-id');
  const clients = Number.parseInt(arg(args, 'clients'), 10);
  const timeoutMs = Number.parseInt(arg(args, 'timeout-ms'), 10);
  const model = benchSpec(Number.parseInt(arg(args, 'params'), 10));
  const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const memory = new MemoryLog(nodeId);
  let rssBeforeRound: number | null = null;
  // CPU time from the bench's 'mark' (just before the round) to the report: comparable across runs on a shared machine.
  let cpuAtMark: NodeJS.CpuUsage | null = null;
  const phases: Phases = {};

  const node = await startClusterNode({
    nodeId,
    port: 0,
    postgresUrl: arg(args, 'postgres'),
    redisUrl: arg(args, 'redis'),
    cluster: arg(args, 'cluster'),
    tasks: [loadTaskConfig(clients, Number.parseInt(arg(args, 'round-timeout-ms'), 10))],
    security: security(arg(args, 'security')),
    rounds: 0,
    // On the shared 2-core machine a node's timers starved for over 50 s while 1,000 clients joined, and a 60 s lease
    // made the leader step down before the round (fencing as designed). The bench measures throughput, not failover.
    leaseMs: Math.max(60_000, timeoutMs),
    featureCount: model.featureCount,
    selectionSeed: 1,
    // Warnings (lost lease, Redis or PostgreSQL trouble) go to stderr, which load.ts shows when a node fails.
    // The round's info lines are timed (phaseLog.ts), not printed.
    logger: phaseLogger(pino({ level: 'warn' }, pino.destination(2)), phases),
  });
  memory.note('started');
  out({ event: 'listening', node: nodeId, url: node.url });
  const leading = setInterval(() => {
    if (node.engine()) {
      clearInterval(leading);
      out({ event: 'leading', node: nodeId });
    }
  }, 50);

  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  process.once('SIGTERM', () => finish());
  createInterface({ input: process.stdin }).on('line', (line) => {
    void (async () => {
      const cmd = (JSON.parse(line) as { cmd: string }).cmd;
      if (cmd === 'mark') cpuAtMark = process.cpuUsage();
      else if (cmd === 'report') {
        memory.note('end', false);
        out({ event: 'report', node: nodeId, peakRssMb: memory.peak.rss, rssBeforeRoundMb: rssBeforeRound === null ? null : mb(rssBeforeRound), rssMb: mb(process.memoryUsage.rss()), localSockets: node.status().localSockets, phases, memoryMb: { ...memory.steps, peak: memory.peak }, roundCpuMs: cpuAtMark ? cpuMs(process.cpuUsage(cpuAtMark)) : null, deadFrameCollections: deadFrameCollections() });
      } else if (cmd === 'joined') memory.note('joined');
      else if (cmd === 'round') {
        const engine = node.engine();
        if (!engine) return out({ event: 'round', node: nodeId, error: 'this node does not lead' });
        try {
          await engine.waitForClients(LOAD_TASK, clients, timeoutMs);
          rssBeforeRound = process.memoryUsage.rss();
          memory.note('joined');
          const startedAt = Date.now();
          const t0 = performance.now();
          const record = await engine.runRound(LOAD_TASK);
          out({ event: 'round', node: nodeId, status: record.status, reason: record.reason ?? null, reported: record.reported.length, roundMs: Math.round(performance.now() - t0), startedAt });
        } catch (err) {
          out({ event: 'round', node: nodeId, error: err instanceof Error ? err.message : String(err) });
        }
      } else if (cmd === 'stop') finish();
    })();
  });
  await finished;
  memory.stop();
  clearInterval(leading);
  await node.close();
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
