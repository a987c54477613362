import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverClientTransport, FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { PostgresStore, startClusterNode, startCoordinator, type ClusterNode, type CohortResultEvent, type Coordinator } from '@huddle/coordinator';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultTaskConfig, type ClientTransport, type TaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { CLUSTER_NODE_V8_FLAGS, missingNodeFlags } from '../../coordinator/src/ops/nodeFlags.ts';
import { spawnClusterNode, type NodeProcess } from './nodeProcess.ts';
import { until } from '../helpers/until.ts';

// Hierarchical aggregation when a node dies with kill -9: three node processes (the leader in this
// process, two followers spawned from the coordinator CLI), a real Redis and PostgreSQL on loopback.
let postgres: PostgresServer;
let redis: RedisServer;
let athletes: DailyLogRow[][];
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  await initNodeBackend();
  athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 6, days: 240, seed: 11 })).values()];
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

const base = defaultTaskConfig('readiness');
const config = (over: Partial<TaskConfig> = {}): TaskConfig =>
  defaultTaskConfig('readiness', { clientsPerRound: 6, minClients: 6, overSelection: 1, roundTimeoutMs: 20_000, evaluateTimeoutMs: 20_000, ...over });

function clientsOn(transportFor: (i: number) => ClientTransport): FederatedClient[] {
  return athletes.map((rows, i) => new FederatedClient({ transport: transportFor(i), clientId: `athlete-${i + 1}`, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }));
}

interface Cluster {
  leader: ClusterNode;
  engine: Coordinator;
  followers: NodeProcess[];
  clients: FederatedClient[];
  postgresUrl: string;
  /** Which node each client's socket is on: client i starts on node (i mod 3). */
  nodeOf(clientId: string): string;
  stop(): Promise<void>;
}

async function startCluster(task: TaskConfig): Promise<Cluster> {
  const postgresUrl = await postgres.createSchema();
  const cluster = `f${Math.random().toString(36).slice(2, 8)}`;
  const leader = await startClusterNode({ nodeId: 'node-1', port: 0, postgresUrl, redisUrl: redis.url, cluster, tasks: [task], security: 'open', rounds: 0, leaseMs: 20_000 });
  const engine = await until('node-1 to lead', () => leader.engine());
  const followers = await Promise.all(['node-2', 'node-3'].map((nodeId) => spawnClusterNode({ nodeId, postgresUrl, redisUrl: redis.url, cluster })));
  const urls = [leader.url, ...followers.map((f) => f.url)];
  const clients = clientsOn((i) => new FailoverClientTransport(urls.map((_, k) => urls[(i + k) % urls.length]!), { initialDelayMs: 100, maxDelayMs: 1_000 }));
  await Promise.all(clients.map((c) => c.start()));
  await engine.waitForClients('readiness', 6, 20_000);
  const held = await Promise.all(followers.map(async (f) => ((await (await fetch(`${f.url}/health`)).json()) as { localSockets: number }).localSockets));
  expect([leader.status().localSockets, ...held]).toEqual([2, 2, 2]);
  return {
    leader,
    engine,
    followers,
    clients,
    postgresUrl,
    nodeOf: (id) => `node-${((Number(id.split('-')[1]) - 1) % 3) + 1}`,
    stop: async () => {
      clients.forEach((c) => c.stop());
      await leader.close().catch(() => {});
      for (const f of followers) f.child.kill('SIGTERM');
      await Promise.all(followers.map((f) => f.exited));
    },
  };
}

/** The privacy ledger's entries for the task, read from PostgreSQL directly. */
function ledgerEntries(postgresUrl: string): number {
  const store = PostgresStore.connect(postgresUrl);
  try {
    return store.loadLedger('readiness').entries.length;
  } finally {
    store.close();
  }
}

/** One round on a single coordinator with the same clients: the model the cluster must reach. */
async function singleNodeModel(task: TaskConfig): Promise<Float32Array> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-single-'));
  const single = await startCoordinator({ port: 0, dataDir, tasks: [task] });
  const clients = clientsOn(() => new SocketIoClientTransport(single.url, { reconnection: false }));
  try {
    await Promise.all(clients.map((c) => c.start()));
    const rec = await single.coordinator.runRound('readiness');
    expect(rec.status, rec.reason ?? '').toBe('completed');
    return single.coordinator.taskState('readiness').weights.slice();
  } finally {
    clients.forEach((c) => c.stop());
    await single.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('hierarchical aggregation when a node is killed with kill -9', () => {
  it('a node killed after sending its cohort sum: its cohort counts once, the model equals the single-node one', async () => {
    const task = config();
    const expected = await singleNodeModel(task);
    const c = await startCluster(task);
    try {
      const sums: CohortResultEvent[] = [];
      let killed = false;
      c.leader.onCohortResult((e) => {
        sums.push(e);
        if (e.node === 'node-2' && !killed) {
          killed = true;
          c.followers[0]!.kill9();
        }
      });
      const record = await c.engine.runRound('readiness');
      expect(killed).toBe(true);
      expect(await c.followers[0]!.exited).toBeNull();
      expect(record.status, record.reason ?? '').toBe('completed');
      expect([...record.reported].sort()).toEqual(athletes.map((_, i) => `athlete-${i + 1}`).sort());
      const fromNode2 = sums.filter((e) => e.roundId === record.roundId && e.node === 'node-2');
      expect(fromNode2.length).toBeGreaterThanOrEqual(1);
      expect(fromNode2[0]!.result.reported.map(c.nodeOf)).toEqual(['node-2', 'node-2']);
      // Counted twice, node-2's two clients would weigh double in the example-weighted mean.
      const got = c.engine.taskState('readiness').weights;
      let maxDiff = 0;
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - expected[i]!));
      expect(maxDiff).toBeLessThan(1e-6);
      expect(c.engine.history('readiness').map((r) => r.status)).toEqual(['completed']);
    } finally {
      await c.stop();
    }
  }, 120_000);

  it.each([
    // Completed: the fit's charge, made once before the round opened, and the evaluation's (every idle client evaluates).
    ['the remaining cohorts hold enough updates: the round completes from them, epsilon charged once', 4, 'completed', 2],
    ['too few updates remain: the round is abandoned, and as nothing was released its charge is refunded', 5, 'abandoned', 0],
  ] as const)('a node killed before sending its cohort sum: %s', async (_what, minClients, status, entries) => {
    const task = config({ minClients, privacy: { ...base.privacy, noise: 'central', noiseMultiplier: 1, epsilonBudget: null, population: 6, adaptiveClipping: null } });
    const c = await startCluster(task);
    try {
      let killedAt = '';
      c.engine.on((e) => {
        if (e.type === 'roundStarted' && !killedAt) {
          killedAt = e.roundId;
          c.followers[1]!.kill9();
        }
      });
      const record = await c.engine.runRound('readiness');
      expect(record.roundId).toBe(killedAt);
      expect(record.status, record.reason ?? '').toBe(status);
      const onNode3 = athletes.map((_, i) => `athlete-${i + 1}`).filter((id) => c.nodeOf(id) === 'node-3');
      expect(record.dropped.filter((id) => onNode3.includes(id)).sort()).toEqual(onNode3.sort());
      if (status === 'completed') {
        expect(record.reported).toHaveLength(4);
        expect(record.reported.some((id) => onNode3.includes(id))).toBe(false);
        expect(record.privacy?.epsilon).toBeGreaterThan(0);
      } else expect(record.reason).toMatch(/4 updates in 2 of 3 cohort sums, 5 needed.*node-3 fell silent/);
      expect(ledgerEntries(c.postgresUrl)).toBe(entries);
      expect(c.engine.history('readiness').map((r) => r.roundId)).toEqual([record.roundId]);
    } finally {
      await c.stop();
    }
  }, 120_000);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a cluster node's V8 flags", () => {
  it('are added unless the process has them, by name, from its arguments or NODE_OPTIONS', () => {
    expect(missingNodeFlags(['--max-semi-space-size=8'], [], '')).toEqual(['--max-semi-space-size=8']);
    expect(missingNodeFlags(['--max-semi-space-size=8'], ['--max-semi-space-size=32'], '')).toEqual([]);
    expect(missingNodeFlags(['--max-semi-space-size=8'], ['--import', 'tsx'], '--max_semi_space_size=4')).toEqual([]);
  });

  it('are in force in the node the CLI starts, and kill -9 of the command still stops the node', async () => {
    const node = await spawnClusterNode({ nodeId: 'node-flags', postgresUrl: await postgres.createSchema(), redisUrl: redis.url, cluster: `f${Math.random().toString(36).slice(2, 8)}` });
    const started = JSON.parse(node.lines.find((l) => l.includes('cluster node started'))!) as { pid: number; nodeFlags: string[] };
    expect(started.nodeFlags).toEqual([...CLUSTER_NODE_V8_FLAGS]);
    // The command ran itself again with the flags: the node is its child.
    expect(started.pid).not.toBe(node.child.pid);
    expect(alive(started.pid)).toBe(true);
    node.kill9();
    await node.exited;
    await until('the node to die with its command', () => !alive(started.pid), 10_000);
  }, 60_000);
});
