import { randomBytes } from 'node:crypto';
import { encode } from '@msgpack/msgpack';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@huddle/shared/util';
import { channelsFor, ClusterBus, type DownEvent } from '../src/cluster/clusterBus.ts';
import { sealFrame } from '../src/cluster/busAuth.ts';
import { ClusterServerTransport } from '../src/cluster/clusterServerTransport.ts';
import { clusterCohortPort, wireResult } from '../src/cluster/cohortPort.ts';
import { ClientRegistry } from '../src/engine/clientRegistry.ts';
import type { CohortResult } from '../src/engine/workflows/cohorts.ts';
import { startRedis, type RedisServer } from './helpers/redisServer.ts';

// The cluster bus over a real Redis: every frame carries an HMAC under the cluster's key (kept in PostgreSQL), so a
// party that can publish on Redis without the key cannot make the leader count a cohort sum.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  await redis?.stop();
});

const sum = (value: number): CohortResult => ({ status: 'plain', reported: ['a1', 'a2'], sum: Float32Array.of(value, value), weight: 2, numExamples: 2, trainLoss: 1, clipBits: 0 });

async function until(what: string, probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the cluster bus key', () => {
  it('refuses a cohort sum that is unsigned, signed with another key, altered, or moved from another channel', async () => {
    const channels = channelsFor(`auth${Math.random().toString(36).slice(2, 8)}`);
    const key = randomBytes(32);
    const refused: string[] = [];
    const leaderBus = new ClusterBus(redis.url, channels, (_channel, error) => refused.push(error), () => {}, key);
    const nodeBus = new ClusterBus(redis.url, channels, () => {}, () => {}, key);
    const forgers = [new ClusterBus(redis.url, channels), new ClusterBus(redis.url, channels, () => {}, () => {}, randomBytes(32))];
    const raw = new Redis(redis.url);
    await Promise.all([leaderBus.start(), nodeBus.start(), ...forgers.map((f) => f.start())]);
    const port = clusterCohortPort({ node: 'leader', bus: leaderBus, transport: new ClusterServerTransport(leaderBus, 'leader', 1), registry: () => new ClientRegistry(), publicKeyOf: () => null, presence: { alive: () => true }, logger: silentLogger });
    const counted: { node: string; first: number }[] = [];
    port.subscribe('r-1', (node, _cohort, result) => counted.push({ node, first: result.status === 'plain' ? result.sum[0]! : NaN }));
    const acks: DownEvent[] = [];
    await nodeBus.onDown('node-1', (e) => acks.push(e));
    try {
      const event = (node: string, value: number) => ({ kind: 'cohortSum' as const, node, roundId: 'r-1', cohort: `${node}/0`, result: wireResult(sum(value)) });
      // Without the key, and with a wrong one.
      forgers[0]!.publishUp(event('node-2', 1e6));
      forgers[1]!.publishUp(event('node-3', 1e6));
      // A genuine frame altered in flight (its first vector entry), and a genuine down frame replayed on `up`.
      const sealed = sealFrame(key, channels.up, encode(event('node-4', 1)));
      const altered = Buffer.from(sealed);
      const at = altered.indexOf(Buffer.from(Float32Array.of(1).buffer));
      expect(at).toBeGreaterThan(0);
      altered[at] = altered[at]! ^ 0x40;
      await raw.publish(channels.up, altered);
      await raw.publish(channels.up, sealFrame(key, channels.down('node-1'), encode(event('node-5', 1e6))));
      await until('four frames refused', () => refused.length === 4);
      expect(counted).toEqual([]);
      expect(refused.every((r) => /no valid tag/.test(r))).toBe(true);
      // The node's genuine sum is counted, and the leader's acknowledgement (signed too) reaches the node.
      nodeBus.publishUp(event('node-1', 0.5));
      await until('the genuine sum', () => counted.length === 1);
      expect(counted).toEqual([{ node: 'node-1', first: 0.5 }]);
      await until('the acknowledgement', () => acks.length === 1);
      expect(acks[0]).toEqual({ kind: 'cohortAck', roundId: 'r-1', cohort: 'node-1/0' });
      expect(refused).toHaveLength(4);
    } finally {
      port.close();
      raw.disconnect();
      await Promise.all([leaderBus.close(), nodeBus.close(), ...forgers.map((f) => f.close())]);
    }
  }, 60_000);

  it('ignores a leader address written to Redis without the key (followers relay credentials there)', async () => {
    const channels = channelsFor(`auth${Math.random().toString(36).slice(2, 8)}`);
    const key = randomBytes(32);
    const refused: string[] = [];
    const follower = new ClusterBus(redis.url, channels, (_channel, error) => refused.push(error), () => {}, key);
    const leader = new ClusterBus(redis.url, channels, () => {}, () => {}, key);
    const raw = new Redis(redis.url);
    try {
      await raw.set(channels.leader, JSON.stringify({ node: 'evil', term: 9, url: 'http://attacker.example/' }), 'PX', 10_000);
      expect(await follower.currentLeader()).toBeNull();
      expect(refused).toHaveLength(1);
      leader.announceLeader({ node: 'node-1', term: 2, url: 'http://127.0.0.1:1234/' }, 10_000);
      let got = await follower.currentLeader();
      for (let i = 0; i < 50 && got === null; i++) {
        await new Promise((r) => setTimeout(r, 20));
        got = await follower.currentLeader();
      }
      expect(got).toEqual({ node: 'node-1', term: 2, url: 'http://127.0.0.1:1234/' });
    } finally {
      raw.disconnect();
      await Promise.all([follower.close(), leader.close()]);
    }
  }, 60_000);
});
