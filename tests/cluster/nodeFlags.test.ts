import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_NODE_V8_FLAGS, missingNodeFlags } from '../../coordinator/src/ops/nodeFlags.ts';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { until } from '../helpers/until.ts';
import { spawnClusterNode } from './nodeProcess.ts';

let postgres: PostgresServer;
let redis: RedisServer;
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
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
