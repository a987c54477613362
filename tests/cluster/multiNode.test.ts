import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverClientTransport, FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { startClusterNode, startCoordinator, type ClusterNode, type CohortResultEvent, type RoundMetrics } from '@huddle/coordinator';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultTaskConfig, openFederationPolicy, type ClientTransport, type PrivacyPolicy, type TaskConfig } from '@huddle/shared/protocol';
import { Prng } from '@huddle/shared/random';
import { generateSyntheticFederation } from '@huddle/simulations';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { presenceKey } from '../../coordinator/src/cluster/nodePresence.ts';
import { until } from '../helpers/until.ts';

// Three coordinator nodes in one process, each with its own HTTP port, socket.io server, Redis
// connections and PostgreSQL connections, sharing a real Redis and a real PostgreSQL on loopback.
let postgres: PostgresServer;
let redis: RedisServer;
let athletes: DailyLogRow[][];
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  await initNodeBackend();
  athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 9, days: 240, seed: 11 })).values()];
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

const config = (over: Partial<TaskConfig> = {}): TaskConfig =>
  defaultTaskConfig('readiness', { clientsPerRound: 6, minClients: 6, overSelection: 1, roundTimeoutMs: 20_000, evaluateTimeoutMs: 20_000, ...over });

/** `count` clients, each with its own seeded randomness (so two runs round their secure vectors alike). */
function clientsOn(transportFor: (i: number) => ClientTransport, count = 6, privacyPolicy?: PrivacyPolicy): FederatedClient[] {
  return athletes.slice(0, count).map(
    (rows, i) =>
      new FederatedClient({
        transport: transportFor(i),
        clientId: `athlete-${i + 1}`,
        data: new InMemoryDataSource(rows),
        tasks: ['readiness'],
        trainer: tfjsTrainer,
        random: new Prng(1_000 + i),
        ...(privacyPolicy ? { privacyPolicy } : {}),
      }),
  );
}

/** Athletes who agreed to secure sums of 3 (each cohort of 3 then meets their floor; the default floor is 5). */
const threeOrMore: PrivacyPolicy = { ...openFederationPolicy(), minParticipants: 3 };

async function startNodes(count: number, task: TaskConfig, leaseMs = 4_000): Promise<ClusterNode[]> {
  const postgresUrl = await postgres.createSchema();
  const cluster = `c${Math.random().toString(36).slice(2, 8)}`;
  const nodes: ClusterNode[] = [];
  for (let k = 1; k <= count; k++) {
    nodes.push(await startClusterNode({ nodeId: `node-${k}`, port: 0, postgresUrl, redisUrl: redis.url, cluster, tasks: [task], security: 'open', rounds: 0, leaseMs }));
  }
  // Up means present too: a node's presence worker may take seconds to set its key on a loaded machine, and the
  // leader would take a node without its key for dead mid-round.
  const probe = new Redis(redis.url);
  try {
    const keys = nodes.map((_, k) => presenceKey(cluster, `node-${k + 1}`));
    for (let t = 0; (await probe.exists(...keys)) < keys.length; t++) {
      if (t > 300) throw new Error('the nodes did not set their presence keys');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    probe.disconnect();
  }
  return nodes;
}

/** The reference: `rounds` rounds on one embedded coordinator with the same clients; its model and each round's evaluation. */
async function singleNodeRounds(task: TaskConfig, count: number, rounds: number, policy?: PrivacyPolicy): Promise<{ weights: Float32Array; metrics: RoundMetrics[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-single-'));
  const single = await startCoordinator({ port: 0, dataDir, tasks: [task] });
  const clients = clientsOn(() => new SocketIoClientTransport(single.url, { reconnection: false }), count, policy);
  try {
    await Promise.all(clients.map((c) => c.start()));
    const metrics: RoundMetrics[] = [];
    for (let r = 0; r < rounds; r++) {
      const rec = await single.coordinator.runRound('readiness');
      expect(rec.status, rec.reason ?? '').toBe('completed');
      metrics.push(rec.metrics!);
    }
    return { weights: single.coordinator.taskState('readiness').weights.slice(), metrics };
  } finally {
    clients.forEach((c) => c.stop());
    await single.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Every figure of two rounds' evaluations within `tolerance` (0: identical). */
function expectSameMetrics(got: RoundMetrics, want: RoundMetrics, tolerance: number): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) {
    const g: unknown = Object.entries(got).find(([key]) => key === k)?.[1];
    if (typeof v === 'number' && typeof g === 'number' && tolerance > 0) expect(Math.abs(g - v), k).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(v)));
    else expect(g, k).toEqual(v);
  }
}

describe('three coordinator nodes on Redis and PostgreSQL', () => {
  // Hierarchical aggregation: each node sums its own cohort (3 clients each under SecAgg, the privacy floor
  // being minClients = 3), the leader adds the cohort sums. Plain: float sums in another order, so equal up to
  // float rounding. Secure: the clients round their vectors with the same seeded randomness in both runs, so the
  // sum of the cohorts' integer sums must equal the one SecAgg sum over all clients bit for bit.
  it.each([
    ['plain', config(), 6, 1e-6, undefined],
    ['under secure aggregation', config({ clientsPerRound: 9, minClients: 3, secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 } }), 9, 0, threeOrMore],
  ] as const)('elect one leader, and rounds over all nodes give the single-node model (%s)', async (_mode, task, count, tolerance, policy) => {
    const { weights: expected, metrics: expectedMetrics } = await singleNodeRounds(task, count, 2, policy);

    // No takeover here: a long lease, so that a starved machine does not move the leader mid-test.
    const nodes = await startNodes(3, task, 20_000);
    const clients = clientsOn((i) => new FailoverClientTransport(nodes.map((_, k) => nodes[(i + k) % nodes.length]!.url)), count, policy);
    try {
      const leaders = await until('exactly one leader', () => {
        const l = nodes.filter((n) => n.engine() !== null);
        return l.length === 1 ? l : null;
      });
      await until('every node to know the leader', () => nodes.every((n) => n.status().leader === leaders[0]!.status().node));
      const sums: CohortResultEvent[] = [];
      leaders[0]!.onCohortResult((e) => sums.push(e));
      await Promise.all(clients.map((c) => c.start()));
      expect(nodes.map((n) => n.status().localSockets)).toEqual([count / 3, count / 3, count / 3]);
      const engine = leaders[0]!.engine()!;
      await engine.waitForClients('readiness', count, 20_000);
      for (let r = 0; r < 2; r++) {
        const record = await engine.runRound('readiness');
        expect(record.status, record.reason ?? '').toBe('completed');
        expect(record.reported).toHaveLength(count);
        expect(record.secureAggregation).toBe(task.secureAggregation.enabled);
        // One fit sum and one evaluation sum per node, each over that node's own clients (the leader saw no
        // individual update or evaluation).
        for (const [label, status] of [['0', task.secureAggregation.enabled ? 'secure' : 'plain'], ['e', task.secureAggregation.enabled ? 'secure' : 'evaluation']] as const) {
          const ofRound = new Map(sums.filter((e) => e.roundId === record.roundId && e.cohort.endsWith(`/${label}`)).map((e) => [e.node, e.result]));
          expect([...ofRound.keys()].sort()).toEqual(['node-1', 'node-2', 'node-3']);
          for (const result of ofRound.values()) {
            expect(result.status).toBe(status);
            expect(result.reported).toHaveLength(count / 3);
          }
          expect(new Set([...ofRound.values()].flatMap((res) => res.reported)).size).toBe(count);
        }
        // The round's evaluation over cohorts equals the single node's over all clients.
        const evaluationSums = sums.filter((e) => e.roundId === record.roundId && e.cohort.endsWith('/e')).map((e) => `${e.node} ${e.result.status} ${e.result.reported.length}`);
        expect(record.metrics!.evalClients, `evaluation cohort sums: ${evaluationSums.join(', ')}`).toBe(count);
        // The evaluators hold the committed model: the next fit request sends them none.
        for (let i = 1; i <= count; i++) expect(engine.registry.byId(`athlete-${i}`)?.models.readiness).toEqual(record.model);
        expectSameMetrics(record.metrics!, expectedMetrics[r]!, tolerance);
      }
      const got = engine.taskState('readiness').weights;
      const maxDiff = maxDifference(got, expected);
      console.log(`cluster vs single node: max |weight difference| ${maxDiff.toExponential(2)} over ${got.length} weights`);
      expect(maxDiff).toBeLessThanOrEqual(tolerance);
    } finally {
      clients.forEach((c) => c.stop());
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 120_000);

  // Under SecAgg with a floor of 3, node-3 holds 1 client: its cohort would be below the floor. Its client is merged
  // with the smallest other cohort into one cohort the leader runs through the relay (5 clients), so every athlete
  // still trains and evaluates, no cohort is below the floor, and the result is the single node's, bit for bit.
  it('merges the clients of a node below the privacy floor into a relay cohort: nobody left out, the single-node result', async () => {
    const task = config({ clientsPerRound: 9, minClients: 3, secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 } });
    const { weights: expected, metrics: expectedMetrics } = await singleNodeRounds(task, 9, 1, threeOrMore);
    const nodes = await startNodes(3, task, 20_000);
    // Athletes 1-4 on node-1, 5-8 on node-2, 9 on node-3.
    const home = (i: number): number => (i < 4 ? 0 : i < 8 ? 1 : 2);
    const clients = clientsOn((i) => new FailoverClientTransport([nodes[home(i)]!.url]), 9, threeOrMore);
    try {
      const leader = await until('a leader every node knows', () => {
        const l = nodes.filter((n) => n.engine() !== null);
        return l.length === 1 && nodes.every((n) => n.status().leader === l[0]!.status().node) ? l[0] : null;
      });
      const sums: CohortResultEvent[] = [];
      leader.onCohortResult((e) => sums.push(e));
      await Promise.all(clients.map((c) => c.start()));
      expect(nodes.map((n) => n.status().localSockets)).toEqual([4, 4, 1]);
      const engine = leader.engine()!;
      await engine.waitForClients('readiness', 9, 20_000);
      const record = await engine.runRound('readiness');
      expect(record.status, record.reason ?? '').toBe('completed');
      expect(record.reported).toHaveLength(9);
      for (const label of ['0', 'e']) {
        const cohorts = sums.filter((e) => e.roundId === record.roundId && e.cohort.endsWith(`/${label}`));
        expect(cohorts.map((e) => e.result.status)).toEqual(['secure', 'secure']);
        const sizes = new Map(cohorts.map((e) => [e.node, e.result.reported.length]));
        // One node runs its own 4; the relay runs athlete 9 with the other node's 4.
        expect(sizes.get('(leader relay)')).toBe(5);
        expect([...sizes.values()].sort()).toEqual([4, 5]);
        expect(cohorts.find((e) => e.node === '(leader relay)')!.result.reported).toContain('athlete-9');
        expect(new Set(cohorts.flatMap((e) => e.result.reported)).size).toBe(9);
      }
      expect(record.metrics!.evalClients).toBe(9);
      expectSameMetrics(record.metrics!, expectedMetrics[0]!, 0);
      expect(maxDifference(engine.taskState('readiness').weights, expected)).toBe(0);
    } finally {
      clients.forEach((c) => c.stop());
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 120_000);

  it('when the leader dies mid-round, another node takes over, records the round abandoned once, and the clients rejoin', async () => {
    const nodes = await startNodes(3, config({ roundTimeoutMs: 60_000 }));
    const clients = clientsOn((i) => new FailoverClientTransport(nodes.map((_, k) => nodes[(i + k) % nodes.length]!.url), { initialDelayMs: 100, maxDelayMs: 1_000 }));
    try {
      await Promise.all(clients.map((c) => c.start()));
      const leader = nodes.find((n) => n.engine() !== null)!;
      const engine = leader.engine()!;
      let openRoundId = '';
      engine.on((e) => {
        if (e.type === 'roundStarted') openRoundId = e.roundId;
      });
      const pending = engine.runRound('readiness').catch(() => null);
      await until('the round to open', () => openRoundId);
      await leader.crash();
      void pending;
      const survivors = nodes.filter((n) => n !== leader);
      const next = await until('a new leader', () => survivors.find((n) => n.engine() !== null));
      const newEngine = next.engine()!;
      const abandoned = newEngine.history('readiness').filter((r) => r.roundId === openRoundId);
      expect(abandoned.map((r) => r.status)).toEqual(['abandoned']);
      await newEngine.waitForClients('readiness', 6, 20_000);
      const record = await newEngine.runRound('readiness');
      expect(record.status).toBe('completed');
      expect(record.reported).toHaveLength(6);
      const history = newEngine.history('readiness');
      expect(new Set(history.map((r) => r.roundId)).size).toBe(history.length);
      expect(history.filter((r) => r.status === 'completed')).toHaveLength(1);
      expect(survivors.reduce((n, s) => n + s.status().localSockets, 0)).toBe(6);
    } finally {
      clients.forEach((c) => c.stop());
      await Promise.all(nodes.map((n) => n.close().catch(() => {})));
    }
  }, 120_000);

  it('survive a Redis restart mid-round: that round ends (abandoned or completed), the next one completes with every client', async () => {
    const nodes = await startNodes(3, config({ roundTimeoutMs: 8_000 }));
    const clients = clientsOn((i) => new FailoverClientTransport(nodes.map((_, k) => nodes[(i + k) % nodes.length]!.url)));
    try {
      await Promise.all(clients.map((c) => c.start()));
      const engine = (await until('a leader', () => nodes.find((n) => n.engine() !== null))).engine()!;
      let opened = false;
      engine.on((e) => {
        if (e.type === 'roundStarted') opened = true;
      });
      const during = engine.runRound('readiness');
      await until('the round to open', () => opened);
      await redis.stopServer();
      await new Promise((r) => setTimeout(r, 500));
      await redis.startServer();
      const first = await during;
      expect(['abandoned', 'completed']).toContain(first.status);
      await engine.waitForClients('readiness', 6, 20_000);
      const next = await engine.runRound('readiness');
      expect(next.status).toBe('completed');
      expect(next.reported).toHaveLength(6);
      const history = engine.history('readiness');
      expect(history.map((r) => r.roundId)).toEqual([first.roundId, next.roundId]);
      expect(engine.taskState('readiness').round).toBe(history.filter((r) => r.status === 'completed').length);
    } finally {
      clients.forEach((c) => c.stop());
      await Promise.all(nodes.map((n) => n.close().catch(() => {})));
    }
  }, 120_000);

  it('stop opening rounds while PostgreSQL is unreachable, say so in /health, and resume when it returns', async () => {
    const nodes = await startNodes(3, config());
    try {
      await until('a leader', () => nodes.find((n) => n.engine() !== null));
      await postgres.stopServer();
      await until('every node to notice', () => nodes.every((n) => n.status().postgres !== null && n.engine() === null));
      const health = await fetch(`${nodes[1]!.url}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { postgres: string }).postgres).toMatch(/PostgreSQL unreachable/);
      await postgres.startServer();
      const back = await until('a leader again', () => nodes.find((n) => n.engine() !== null), 30_000);
      expect(back.status().postgres).toBeNull();
      expect((await fetch(`${back.url}/health`)).status).toBe(200);
    } finally {
      await Promise.all(nodes.map((n) => n.close().catch(() => {})));
    }
  }, 120_000);
});
