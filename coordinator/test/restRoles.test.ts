import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Coordinator } from '../src/engine/coordinator.ts';
import { createApp } from '../src/http/app.ts';
import { FileStore } from '../src/store/fileStore.ts';
import { call, startAuthApp, type AuthApp } from './helpers/authApp.ts';
import { enrollDevice } from './helpers/enrolled.ts';
import { abandonedRound, checkpoint, completedRound } from './helpers/records.ts';
import { tempDir } from './helpers/tempDir.ts';

describe('REST: roles on task data', () => {
  let app: AuthApp;
  let applied: [string, TaskConfig][];
  let refuseConfig: string | null;
  beforeEach(async () => {
    applied = [];
    refuseConfig = null;
    app = await startAuthApp({
      onTaskConfig: (task, config) => {
        if (refuseConfig) throw new Error(refuseConfig);
        applied.push([task, config]);
      },
    });
  });
  afterEach(async () => app.close());

  function recordRounds(ids: string[]) {
    const first = completedRound('injury', 1, ids);
    const second = abandonedRound('injury', 2);
    app.store.commitRound(first, checkpoint('injury', 1, new Array(app.coordinator.taskState('injury').weights.length).fill(0)));
    app.store.commitRound(second, null);
    return [first, second];
  }

  it('/health stays open', async () => {
    expect((await call(app.url, 'GET', '/health')).status).toBe(200);
  });

  it('/api/tasks needs a credential (its privacy settings and live counts are not public) and exposes nothing per athlete', async () => {
    const device = enrollDevice(app.store);
    recordRounds([device.clientId, 'cl_b', 'cl_c']);
    const anonymous = await call(app.url, 'GET', '/api/tasks');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="huddle"');
    expect(JSON.stringify(anonymous.json)).not.toMatch(/privacy|optedIn/);
    const res = await call(app.url, 'GET', '/api/tasks', { token: app.analystToken });
    expect(res.status).toBe(200);
    expect(res.json.map((t: { task: string }) => t.task)).toEqual(['injury', 'readiness']);
    expect(JSON.stringify(res.json)).not.toMatch(/cl_/);
  });

  describe('GET /api/tasks/:task/rounds', () => {
    it('401 without a token; analysts see counts; admins see the pseudonymous ids', async () => {
      const [first] = recordRounds(['cl_a', 'cl_b', 'cl_c']);
      expect((await call(app.url, 'GET', '/api/tasks/injury/rounds')).status).toBe(401);
      const analyst = await call(app.url, 'GET', '/api/tasks/injury/rounds', { token: app.analystToken });
      expect(analyst.status).toBe(200);
      expect(analyst.json[0]).toMatchObject({ round: 1, status: 'completed', selected: 3, reported: 2, dropped: 1 });
      expect(JSON.stringify(analyst.json)).not.toMatch(/cl_/);
      const admin = await call(app.url, 'GET', '/api/tasks/injury/rounds', { token: app.adminToken });
      expect(admin.json[0]).toEqual(first);
      expect((await call(app.url, 'GET', '/api/tasks/sleep/rounds', { token: app.analystToken })).status).toBe(404);
    });
  });

  it('GET /api/tasks/:task/metrics: completed rounds only, aggregates only', async () => {
    recordRounds(['cl_a', 'cl_b', 'cl_c']);
    expect((await call(app.url, 'GET', '/api/tasks/injury/metrics')).status).toBe(401);
    const res = await call(app.url, 'GET', '/api/tasks/injury/metrics', { token: app.analystToken });
    expect(res.status).toBe(200);
    expect(res.json.rounds).toHaveLength(1);
    expect(res.json.rounds[0]).toMatchObject({ round: 1, reported: 2, numExamples: 420, metrics: { auc: 0.61 } });
    expect(JSON.stringify(res.json)).not.toMatch(/cl_/);
  });

  describe('GET /api/tasks/:task/budget', () => {
    it("reports epsilon spent from the ledger against the task's configured budget", async () => {
      expect((await call(app.url, 'GET', '/api/tasks/injury/budget')).status).toBe(401);
      const empty = await call(app.url, 'GET', '/api/tasks/injury/budget', { token: app.analystToken });
      expect(empty.json).toEqual({ task: 'injury', charges: 0, delta: 1e-5, epsilonSpent: 0, order: null, epsilonBudget: null, remaining: null, exhausted: false, noise: 'none' });
      app.store.chargeLedger('injury', { samplingRate: 0.1, noiseMultiplier: 1.1, steps: 1 });
      app.store.chargeLedger('injury', { samplingRate: 0.1, noiseMultiplier: 1.1, steps: 1 });
      const spent = await call(app.url, 'GET', '/api/tasks/injury/budget', { token: app.analystToken });
      expect(spent.json.charges).toBe(2);
      expect(spent.json.epsilonSpent).toBeGreaterThan(0);

      const base = defaultTaskConfig('injury');
      const privacy = { ...base.privacy, noise: 'central' as const, noiseMultiplier: 1.1, delta: 1e-6, epsilonBudget: spent.json.epsilonSpent / 2 };
      expect((await call(app.url, 'PUT', '/api/tasks/injury/config', { token: app.adminToken, body: { ...base, privacy } })).status).toBe(200);
      const over = await call(app.url, 'GET', '/api/tasks/injury/budget', { token: app.analystToken });
      expect(over.json).toMatchObject({ delta: 1e-6, epsilonBudget: privacy.epsilonBudget, remaining: 0, exhausted: true, noise: 'central' });
      expect(over.json.epsilonSpent).toBeGreaterThan(spent.json.epsilonSpent);
    });
  });

  describe('PUT /api/tasks/:task/config', () => {
    const newConfig = () => defaultTaskConfig('readiness', { clientsPerRound: 12, minClients: 6, roundTimeoutMs: 90_000 });

    it('an analyst is refused with 403 and nothing changes', async () => {
      const res = await call(app.url, 'PUT', '/api/tasks/readiness/config', { token: app.analystToken, body: newConfig() });
      expect(res.status).toBe(403);
      expect(app.store.loadTaskConfig('readiness')).toBeNull();
      expect(applied).toEqual([]);
      expect((await call(app.url, 'PUT', '/api/tasks/readiness/config', { body: newConfig() })).status).toBe(401);
    });

    it('400 with a clear message for an invalid configuration, nothing changed', async () => {
      for (const [body, message] of [
        [{ ...newConfig(), minClients: 20 }, /minClients must not exceed clientsPerRound/],
        [{ ...newConfig(), fit: { ...newConfig().fit, learningRate: -1 } }, /fit\.learningRate/],
        [{ ...newConfig(), task: 'injury' }, /path names/],
        [{ ...newConfig(), debug: true }, /unexpected field/],
        [{ clientsPerRound: 3 }, /invalid task configuration/],
      ] as const) {
        const res = await call(app.url, 'PUT', '/api/tasks/readiness/config', { token: app.adminToken, body });
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.json.error).toMatch(message);
      }
      expect(app.store.loadTaskConfig('readiness')).toBeNull();
      expect(applied).toEqual([]);
    });

    it('an admin saves it, and the engine hook receives it for the next round', async () => {
      const { task: _task, ...body } = newConfig();
      const res = await call(app.url, 'PUT', '/api/tasks/readiness/config', { token: app.adminToken, body });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ config: newConfig(), appliesFrom: 'next round' });
      expect(app.store.loadTaskConfig('readiness')).toEqual(newConfig());
      expect(applied).toEqual([['readiness', newConfig()]]);
    });

    it('a configuration the engine refuses is not saved', async () => {
      refuseConfig = 'cannot change strategy mid-run';
      const res = await call(app.url, 'PUT', '/api/tasks/readiness/config', { token: app.adminToken, body: newConfig() });
      expect(res.status).toBe(409);
      expect(res.json.error).toMatch(/cannot change strategy/);
      expect(app.store.loadTaskConfig('readiness')).toBeNull();
    });
  });

  describe('POST /api/credentials', () => {
    it('an admin creates an analyst credential that reads but cannot administer', async () => {
      expect((await call(app.url, 'POST', '/api/credentials', { token: app.analystToken, body: {} })).status).toBe(403);
      expect((await call(app.url, 'POST', '/api/credentials', { body: {} })).status).toBe(401);
      expect((await call(app.url, 'POST', '/api/credentials', { token: app.adminToken, body: { role: 'admin' } })).status).toBe(400);
      const res = await call(app.url, 'POST', '/api/credentials', { token: app.adminToken, body: { note: 'physio' } });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ id: expect.stringMatching(/^cred_/), token: expect.stringMatching(/^hdl_/), role: 'analyst' });
      expect((await call(app.url, 'GET', '/api/tasks/injury/budget', { token: res.json.token })).status).toBe(200);
      expect((await call(app.url, 'POST', '/api/invites', { token: res.json.token, body: {} })).status).toBe(403);

      expect((await call(app.url, 'DELETE', `/api/credentials/${res.json.id}`, { token: res.json.token })).status).toBe(403);
      expect((await call(app.url, 'DELETE', `/api/credentials/${res.json.id}`, { token: app.adminToken })).status).toBe(204);
      expect((await call(app.url, 'GET', '/api/tasks/injury/budget', { token: res.json.token })).status).toBe(401);
      expect((await call(app.url, 'DELETE', `/api/credentials/${res.json.id}`, { token: app.adminToken })).status).toBe(410);
      expect((await call(app.url, 'DELETE', '/api/credentials/cred_nope', { token: app.adminToken })).status).toBe(404);
    });
  });

  describe('PATCH /api/tasks/:task/config', () => {
    const patch = (body: unknown, token = app.adminToken) => call(app.url, 'PATCH', '/api/tasks/readiness/config', { token, body });

    it('deep-merges a partial object into the configuration in force and checks the whole', async () => {
      const before = app.coordinator.taskState('readiness').config;
      const res = await patch({ clientsPerRound: 12, privacy: { delta: 1e-6 }, fit: { localEpochs: 4 } });
      expect(res.status).toBe(200);
      const want = { ...before, clientsPerRound: 12, privacy: { ...before.privacy, delta: 1e-6 }, fit: { ...before.fit, localEpochs: 4 } };
      expect(res.json).toEqual({ config: want, appliesFrom: 'next round' });
      expect(app.store.loadTaskConfig('readiness')).toEqual(want);
      expect(applied).toEqual([['readiness', want]]);
      // A second patch starts from the saved configuration, not the start-up one.
      expect((await patch({ minClients: 4 })).json.config).toEqual({ ...want, minClients: 4 });
    });

    it('400 naming the problem, nothing changed: unknown setting, invalid result, not an object; 403 for analysts', async () => {
      for (const [body, message] of [
        [{ privacy: { epsilonBudgett: 3 } }, /unknown setting "privacy\.epsilonBudgett"/],
        [{ minClients: 9 }, /minClients must not exceed clientsPerRound/],
        [{ task: 'injury' }, /names task "injury"/],
        [[1, 2], /must be a JSON object/],
      ] as const) {
        const res = await patch(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error).toMatch(message);
      }
      expect((await patch({ minClients: 2 }, app.analystToken)).status).toBe(403);
      expect(app.store.loadTaskConfig('readiness')).toBeNull();
      expect(applied).toEqual([]);
    });
  });
});

describe('REST without auth (demo, simulations, existing tests)', () => {
  it('keeps the open behaviour and adds no access routes', async () => {
    const tmp = tempDir();
    const store = new FileStore(tmp.dir);
    const coordinator = new Coordinator({ tasks: [defaultTaskConfig('injury')], store, featureCount: FEATURE_COUNT });
    const http = createServer(createApp({ coordinator }));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      expect((await call(url, 'GET', '/api/tasks/injury/rounds')).status).toBe(200);
      expect((await call(url, 'GET', '/api/tasks')).status).toBe(200);
      expect((await call(url, 'POST', '/api/invites', { body: {} })).status).toBe(404);
      expect((await call(url, 'GET', '/dashboard')).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
      tmp.remove();
    }
  });
});
