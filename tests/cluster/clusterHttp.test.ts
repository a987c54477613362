import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterNode, type ClusterNode } from '@huddle/coordinator';
import { startPostgres, type PostgresServer } from '../../coordinator/test/helpers/postgresServer.ts';
import { startRedis, type RedisServer } from '../helpers/redisServer.ts';
import { until } from '../helpers/until.ts';

// The REST API and console at the cluster's one address: any node answers, the leader decides.
let postgres: PostgresServer;
let redis: RedisServer;
beforeAll(async () => {
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 180_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), redis?.stop()]);
});

const call = async (url: string, method: string, path: string, token?: string, body?: unknown) => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (the console's HTML)
  }
  return { status: res.status, json, text, type: res.headers.get('content-type') ?? '' };
};

describe('HTTP through any node of a cluster', () => {
  it('serves the REST API and console from the leader through every node, and keeps doing so after the leader dies', async () => {
    const postgresUrl = await postgres.createSchema();
    const cluster = `h${Math.random().toString(36).slice(2, 8)}`;
    const tokens: string[] = [];
    const auditor = new Uint8Array(32).fill(7);
    const nodes: ClusterNode[] = [];
    for (let k = 1; k <= 3; k++) {
      nodes.push(await startClusterNode({ nodeId: `node-${k}`, port: 0, postgresUrl, redisUrl: redis.url, cluster, tasks: ['readiness'], security: 'enrolled', rounds: 0, leaseMs: 3_000, onAdminToken: (t) => tokens.push(t), auditorPublicKey: auditor }));
    }
    try {
      const leader = await until('a leader', () => nodes.find((n) => n.engine() !== null));
      expect(tokens).toHaveLength(1);
      const admin = tokens[0]!;
      const followers = nodes.filter((n) => n !== leader);
      for (const node of nodes) {
        expect((await call(node.url, 'GET', '/api/tasks')).status).toBe(401);
        const tasks = await until(`tasks through ${node.url}`, async () => {
          const r = await call(node.url, 'GET', '/api/tasks', admin);
          return r.status === 200 ? r : null;
        });
        expect((tasks.json as { task: string }[]).map((t) => t.task)).toEqual(['readiness']);
      }
      const invite = await call(followers[0]!.url, 'POST', '/api/invites', admin, { tasks: ['readiness'] });
      expect(invite.status, invite.text).toBe(201);
      // The join link names the address the operator asked, not the leader's own.
      expect((invite.json as { joinUrl: string }).joinUrl.startsWith(`${followers[0]!.url}/#/join?code=`)).toBe(true);
      const listed = await call(followers[1]!.url, 'GET', '/api/invites', admin);
      expect((listed.json as unknown[]).length).toBe(1);
      const console = await call(followers[0]!.url, 'GET', '/console/');
      expect(console.status).toBe(200);
      expect(console.type).toContain('text/html');
      // The auditor's routes are there too (a countersignature for an unknown enrollment is refused as such).
      expect((await call(followers[1]!.url, 'GET', '/api/auditor', admin)).json).toEqual({ auditorPublicKey: '07'.repeat(32), countersigned: 0 });
      const unknown = await call(followers[0]!.url, 'POST', '/api/auditor/countersignatures', undefined, { clientId: 'cl_nobody', signature: Buffer.alloc(64).toString('base64') });
      expect(unknown.status, unknown.text).toBe(404);
      expect(unknown.json).toEqual({ error: 'no such enrollment' });
      const broken = await fetch(`${followers[1]!.url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"tasks": [' });
      expect(broken.status).toBe(400);

      await leader.crash();
      const survivors = nodes.filter((n) => n !== leader);
      await until('a new leader', () => survivors.find((n) => n.engine() !== null), 30_000);
      for (const node of survivors) {
        const after = await until(`invites through ${node.url} after takeover`, async () => {
          const r = await call(node.url, 'GET', '/api/invites', admin);
          return r.status === 200 ? r : null;
        });
        expect((after.json as unknown[]).length).toBe(1);
      }
      expect(tokens).toHaveLength(1);
    } finally {
      await Promise.all(nodes.map((n) => n.close().catch(() => {})));
    }
  }, 120_000);
});
