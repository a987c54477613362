import { decode } from '@msgpack/msgpack';
import { Redis } from 'ioredis';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailoverClientTransport, FederatedClient, InMemoryDataSource } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { PostgresStore, startClusterNode, type ClusterNode, type CohortResultEvent } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultPrivacyPolicy, defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { ed25519KeyImports } from '../../coordinator/src/auth/ed25519.ts';
import { enroll } from '../../coordinator/src/auth/enrollment.ts';
import { createInvite } from '../../coordinator/src/auth/invites.ts';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { until } from '../helpers/until.ts';

// Hierarchical SecAgg in an enrolled federation: every message signed, rosters carrying enrollment keys. The
// cohorts' nodes check the signatures of the round messages they keep (over the challenge nonce the leader sent).
let postgres: PostgresServer;
let redis: RedisServer;
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  await initNodeBackend();
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

describe('hierarchical secure aggregation in an enrolled cluster', () => {
  it('runs SecAgg per cohort with signed messages and signed rosters, and the leader adds the three cohort sums', async () => {
    const postgresUrl = await postgres.createSchema();
    const cluster = `e${Math.random().toString(36).slice(2, 8)}`;
    const task = defaultTaskConfig('readiness', {
      clientsPerRound: 9,
      minClients: 3,
      overSelection: 1,
      roundTimeoutMs: 30_000,
      evaluateTimeoutMs: 30_000,
      secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 },
    });
    const nodes: ClusterNode[] = [];
    for (let k = 1; k <= 3; k++) nodes.push(await startClusterNode({ nodeId: `node-${k}`, port: 0, postgresUrl, redisUrl: redis.url, cluster, tasks: [task], security: 'enrolled', rounds: 0, leaseMs: 20_000 }));
    const store = PostgresStore.connect(postgresUrl);
    const devices = Array.from({ length: 9 }, () => {
      const keys = nacl.sign.keyPair();
      const outcome = enroll(store, createInvite(store, { tasks: ['readiness'], expiresInHours: 1, note: null }).code, keys.publicKey);
      if (!outcome.ok) throw new Error(outcome.error);
      return { clientId: outcome.clientId, keys };
    });
    store.close();
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 9, days: 200, seed: 5 })).values()];
    // Signed keys required (the default); the athletes agreed to secure sums of 3, the size of each cohort.
    const privacyPolicy = { ...defaultPrivacyPolicy(), minParticipants: 3 };
    const clients = devices.map(
      (d, i) =>
        new FederatedClient({
          transport: new FailoverClientTransport(nodes.map((_, k) => nodes[(i + k) % nodes.length]!.url)),
          clientId: d.clientId,
          signingKey: d.keys.secretKey,
          privacyPolicy,
          data: new InMemoryDataSource(athletes[i]!),
          tasks: ['readiness'],
          trainer: tfjsTrainer,
        }),
    );
    // What the leader tells each node about its clients' keys (frames read off Redis: body, then a 32-byte tag).
    const watcher = new Redis(redis.url);
    const keysSentTo = new Map<string, Set<string>>();
    watcher.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, frame: Buffer) => {
      const event = decode(frame.subarray(0, frame.byteLength - 32)) as { kind: string; keys?: Uint8Array[] };
      if (event.kind !== 'memberKeys') return;
      const node = channel.toString().split(':').pop()!;
      for (const key of event.keys!) (keysSentTo.get(node) ?? keysSentTo.set(node, new Set()).get(node)!).add(Buffer.from(key).toString('hex'));
    });
    await watcher.psubscribe(`huddle:${cluster}:down:*`);
    try {
      const leader = await until('a leader', () => nodes.find((n) => n.engine() !== null));
      const sums: CohortResultEvent[] = [];
      leader.onCohortResult((e) => sums.push(e));
      await Promise.all(clients.map((c) => c.start()));
      const engine = leader.engine()!;
      await engine.waitForClients('readiness', 9, 20_000);
      // Before any round, every other node has its own clients' enrollment keys (to import them then, not in the round).
      const leaderNode = leader.status().node;
      const heldBy = (k: number) => nodes[k]!.status().node;
      await until('keys sent to the nodes', () => devices.every((d, i) => heldBy(i % 3) === leaderNode || keysSentTo.get(heldBy(i % 3))?.has(Buffer.from(d.keys.publicKey).toString('hex'))));
      expect(keysSentTo.has(leaderNode)).toBe(false);
      // The leader checked the hellos without keeping keys, but imported its own cohort's at join: the round imports none.
      const importsBefore = ed25519KeyImports();
      const record = await engine.runRound('readiness');
      expect(ed25519KeyImports()).toBe(importsBefore);
      expect(record.status, record.reason ?? '').toBe('completed');
      expect(record.secureAggregation).toBe(true);
      expect(record.reported).toHaveLength(9);
      const ofRound = sums.filter((e) => e.roundId === record.roundId);
      expect(new Set(ofRound.map((e) => e.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
      for (const e of ofRound) {
        expect(e.result.status).toBe('secure');
        expect(e.result.reported).toHaveLength(3);
      }
    } finally {
      watcher.disconnect();
      clients.forEach((c) => c.stop());
      await Promise.all(nodes.map((n) => n.close()));
    }
  }, 120_000);
});
