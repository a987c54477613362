import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@huddle/shared/util';
import { ClusterBus, channelsFor } from '../src/cluster/clusterBus.ts';
import { ClusterServerTransport } from '../src/cluster/clusterServerTransport.ts';
import { clusterCohortPort } from '../src/cluster/cohortPort.ts';
import { PresenceWatch, presenceKey, startPresence } from '../src/cluster/nodePresence.ts';
import { ClientRegistry } from '../src/engine/clientRegistry.ts';
import { startRedis, type RedisServer } from './helpers/redisServer.ts';

// The leader's liveness judgement of the nodes owing a cohort sum, on a real Redis: presence keys
// refreshed from each node's worker thread, read by the leader on its publishing connection.
const TTL_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds this thread's event loop, as 2,500 sockets written at once did on the leader. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
  return Date.now() - start;
}

describe('node presence (the leader deciding which cohorts are still coming)', () => {
  let redis: RedisServer;
  let bus: ClusterBus;
  beforeAll(async () => {
    redis = await startRedis();
    bus = new ClusterBus(redis.url, channelsFor('presence'));
    await bus.start();
  }, 30_000);
  afterAll(async () => {
    await bus?.close();
    await redis?.stop();
  });

  const leaderPort = () => {
    const watch = new PresenceWatch(bus.publisher, (node) => presenceKey('presence', node), 'node-1', 100);
    const transport = new ClusterServerTransport(bus, 'node-1', 1);
    const port = clusterCohortPort({ node: 'leader', bus, transport, registry: () => new ClientRegistry(), publicKeyOf: () => null, presence: watch, logger: silentLogger });
    return { port, transport, close: () => (port.close(), watch.close()) };
  };

  it('a leader whose own event loop was blocked for three TTLs judges neither itself nor a live node silent', async () => {
    const node2 = startPresence({ redisUrl: redis.url, key: presenceKey('presence', 'node-2'), ttlMs: TTL_MS, everyMs: 200 });
    await node2.ready;
    const { port, transport, close } = leaderPort();
    try {
      expect(port.alive('node-2')).toBe(true);
      await sleep(400);
      blockEventLoop(3 * TTL_MS);
      // Nothing was heard from anyone during the stall (the old rule, silence measured on the leader's own
      // clock from the last frame it processed, dropped every cohort here, its own node's included).
      expect(transport.silentFor('node-1')).toBeGreaterThan(3 * TTL_MS);
      expect(transport.silentFor('node-2')).toBeGreaterThan(3 * TTL_MS);
      expect(port.alive('node-1')).toBe(true);
      expect(port.alive('node-2')).toBe(true);
      // node-2's worker thread kept its key alive through the stall: the answers read afterwards agree.
      await sleep(500);
      expect(port.alive('node-2')).toBe(true);
    } finally {
      close();
      await node2.leave();
    }
  });

  it('a node that died (its key left to expire) is judged dead after its TTL; one that left cleanly at once', async () => {
    const node3 = startPresence({ redisUrl: redis.url, key: presenceKey('presence', 'node-3'), ttlMs: TTL_MS, everyMs: 200 });
    const node4 = startPresence({ redisUrl: redis.url, key: presenceKey('presence', 'node-4'), ttlMs: TTL_MS, everyMs: 200 });
    await Promise.all([node3.ready, node4.ready]);
    const { port, close } = leaderPort();
    try {
      expect(port.alive('node-3')).toBe(true);
      expect(port.alive('node-4')).toBe(true);
      await sleep(500);
      expect([port.alive('node-3'), port.alive('node-4')]).toEqual([true, true]);
      await node3.kill();
      await node4.leave();
      const left = await until(() => !port.alive('node-4'), 2_000);
      expect(left).toBeLessThan(TTL_MS / 2);
      expect(port.alive('node-3')).toBe(true);
      const died = await until(() => !port.alive('node-3'), 4 * TTL_MS);
      expect(died).toBeGreaterThan(TTL_MS / 2);
      // A node never present (started before the leader heard of it, or long dead) is dead after two answers.
      expect(port.alive('node-9')).toBe(true);
      await until(() => !port.alive('node-9'), 1_000);
    } finally {
      close();
    }
  });
});
