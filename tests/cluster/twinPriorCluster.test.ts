import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { startClusterNode, type ClusterNode, type TwinPriorRound } from '@huddle/coordinator';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig, type TwinPriorConfig } from '@huddle/shared/protocol';
import { publishedPriorSchema, type PublishedPrior } from '@huddle/shared/twin';
import { generateSyntheticFederation } from '@huddle/simulations';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { presenceKey } from '../../coordinator/src/cluster/nodePresence.ts';
import { until } from '../helpers/until.ts';

// The twin-prior task on a cluster: the leader runs it (secure sums over clients on both nodes), PostgreSQL keeps what
// it published, every node serves it.
let postgres: PostgresServer;
let redis: RedisServer;
let athletes: DailyLogRow[][];
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 6, days: 240, seed: 5 })).values()];
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

async function priorAt(url: string): Promise<PublishedPrior | null> {
  const res = await fetch(`${url}/api/twin-prior`);
  if (res.status === 204) return null;
  if (res.status !== 200) return null;
  return publishedPriorSchema.parse(await res.json());
}

async function roundsAt(url: string): Promise<TwinPriorRound[]> {
  const res = await fetch(`${url}/api/twin-prior/rounds`);
  expect(res.status).toBe(200);
  return (await res.json()) as TwinPriorRound[];
}

describe('the twin prior on a cluster', () => {
  it('is published by the leader, served by every node, by the next leader after a crash, and after a restart', async () => {
    const postgresUrl = await postgres.createSchema();
    const cluster = `p${Math.random().toString(36).slice(2, 8)}`;
    const task = defaultTaskConfig('readiness', { clientsPerRound: 6, minClients: 4, overSelection: 1 });
    const twinPrior: TwinPriorConfig = { task: 'readiness', iterations: 2, clients: 6, minClients: 4, minAthletes: 3, roundTimeoutMs: 20_000, secureAggregation: true };
    const start = (k: number, withTask: boolean): Promise<ClusterNode> =>
      startClusterNode({ nodeId: `node-${k}`, port: 0, postgresUrl, redisUrl: redis.url, cluster, tasks: [task], security: 'open', rounds: 0, leaseMs: 3_000, ...(withTask ? { twinPrior } : {}) });
    const nodes = [await start(1, true), await start(2, true)];
    const probe = new Redis(redis.url);
    const clients: FederatedClient[] = [];
    try {
      for (let t = 0; (await probe.exists(presenceKey(cluster, 'node-1'), presenceKey(cluster, 'node-2'))) < 2; t++) {
        if (t > 300) throw new Error('the nodes did not set their presence keys');
        await new Promise((r) => setTimeout(r, 50));
      }
      const leader = await until('a leader both nodes know', () => {
        const l = nodes.filter((n) => n.engine() !== null);
        return l.length === 1 && nodes.every((n) => n.status().leader === l[0]!.status().node) ? l[0] : null;
      }, 30_000);
      const follower = nodes.find((n) => n !== leader)!;
      expect(await priorAt(follower.url)).toBeNull();
      // Three athletes on each node: the leader's prior rounds reach the follower's through Redis.
      athletes.forEach((rows, i) => {
        clients.push(new FederatedClient({ transport: new SocketIoClientTransport(nodes[i % 2]!.url, { reconnection: false }), clientId: `athlete-${i + 1}`, data: new InMemoryDataSource(rows), tasks: ['readiness'] }));
      });
      await Promise.all(clients.map((c) => c.start()));
      const rounds = await until('the leader to finish both prior rounds', async () => {
        const r = await roundsAt(follower.url);
        return r.length === 2 ? r : null;
      }, 60_000);
      expect(rounds.map((r) => [r.status, r.reported, r.published])).toEqual([['completed', 6, true], ['completed', 6, true]]);
      const published = await priorAt(follower.url);
      expect(published).not.toBeNull();
      expect(published!.rounds).toBe(2);
      expect(published!.secureAggregation).toBe(true);
      expect(published!.prior.athletes).toBe(rounds[1]!.athletes);
      expect(await priorAt(leader.url)).toEqual(published);

      // The leader dies: the other node leads, with nothing of the first leader's memory, and serves the same prior.
      await leader.crash();
      clients.forEach((c) => c.stop());
      await until('the follower to take over', () => follower.engine(), 30_000);
      expect(await priorAt(follower.url)).toEqual(published);
      expect(await roundsAt(follower.url)).toEqual(rounds);
      await follower.close();

      // A restart of the whole cluster: a new node on the same database serves it too.
      const restarted = await start(3, false);
      nodes.push(restarted);
      await until('the restarted node to lead', () => restarted.engine(), 30_000);
      expect(await priorAt(restarted.url)).toEqual(published);
      expect((await roundsAt(restarted.url)).map((r) => r.roundId)).toEqual(rounds.map((r) => r.roundId));
    } finally {
      clients.forEach((c) => c.stop());
      probe.disconnect();
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 150_000);
});
