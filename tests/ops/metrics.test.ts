import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCredential, SqliteStore, startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { abandonReason } from '../../coordinator/src/ops/metrics.ts';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

/** One sample of a Prometheus text exposition, e.g. value(text, 'huddle_rounds_completed_total{task="readiness"}'). */
function value(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('Prometheus /metrics', () => {
  let fed: TestFederation | null = null;
  let running: RunningCoordinator | null = null;
  let dir = '';
  afterEach(async () => {
    await fed?.close();
    fed = null;
    await running?.close();
    running = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts rounds by outcome and reason, their durations, dropouts, connected clients and epsilon', async () => {
    fed = await startTestFederation({
      clients: 3,
      tasks: ['readiness'],
      days: 60,
      config: { clientsPerRound: 3, minClients: 3, overSelection: 1, privacy: { noise: 'central', noiseMultiplier: 1, delta: 1e-5, epsilonBudget: null, population: 3, adaptiveClipping: null } },
    });
    const c = fed.running.coordinator;
    await c.waitForClients('readiness', 3, 30_000);
    const done = await c.runRound('readiness');
    expect(done.status).toBe('completed');
    fed.clients[0]!.stop();
    await new Promise((r) => setTimeout(r, 300));
    const abandoned = await c.runRound('readiness');
    expect(abandoned.status).toBe('abandoned');

    const res = await fetch(`${fed.running.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'huddle_rounds_started_total{task="readiness"}')).toBe(1);
    expect(value(text, 'huddle_rounds_completed_total{task="readiness"}')).toBe(1);
    expect(value(text, 'huddle_rounds_abandoned_total{task="readiness",reason="too_few_clients"}')).toBe(1);
    expect(value(text, 'huddle_round_duration_seconds_count{task="readiness",status="completed"}')).toBe(1);
    expect(value(text, 'huddle_round_duration_seconds_sum{task="readiness",status="completed"}')).toBeCloseTo((Date.parse(done.endedAt) - Date.parse(done.startedAt)) / 1000, 3);
    expect(value(text, 'huddle_round_reported_clients_total{task="readiness"}')).toBe(done.reported.length);
    expect(value(text, 'huddle_round_dropped_clients_total{task="readiness"}')).toBe(done.dropped.length);
    expect(value(text, 'huddle_clients_connected')).toBe(2);
    expect(value(text, 'huddle_epsilon_spent{task="readiness"}')).toBeCloseTo(done.privacy!.epsilon, 6);
    expect(done.privacy!.epsilon).toBeGreaterThan(0);
    expect(text).not.toMatch(/client-\d/);
  });

  it('needs an analyst token on the main port in enrolled mode; --metrics-port serves it on its own', async () => {
    dir = mkdtempSync(join(tmpdir(), 'huddle-metrics-'));
    running = await startCoordinator({ port: 0, dataDir: dir, security: 'enrolled', tasks: ['readiness'], metricsPort: 0 });
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    const store = (running.coordinator as unknown as { options: { store: SqliteStore } }).options.store;
    const analyst = issueCredential(store, 'analyst', 'prometheus').token;
    const withToken = await fetch(`${running.url}/metrics`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('huddle_rounds_started_total{task="readiness"} 0');
    expect(running.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const side = await fetch(`${running.metricsUrl}/metrics`);
    expect(side.status).toBe(200);
    expect(await side.text()).toContain('huddle_epsilon_budget{task="readiness"} 8');
    expect((await fetch(`${running.metricsUrl}/api/tasks`)).status).toBe(404);
  });

  it('groups abandon reasons into a few stable classes', () => {
    expect(abandonReason('only 1 idle opted-in clients, 3 needed')).toBe('too_few_clients');
    expect(abandonReason('2 updates by the deadline, 3 needed')).toBe('too_few_updates');
    expect(abandonReason('privacy budget: this round would take epsilon from 7.9 to 8.2')).toBe('privacy_budget');
    expect(abandonReason('secure aggregation aborted: bad share')).toBe('secure_aggregation');
    expect(abandonReason("secure sum refused (a client sent more than its clip bound allows): the sum's norm 1e9 exceeds")).toBe('secure_aggregation');
    expect(abandonReason('check-in drew 1 of 9 idle opted-in clients (q = 0.200), 3 needed')).toBe('too_few_clients');
    expect(abandonReason('the coordinator stopped mid-round; the round was not counted')).toBe('restart');
    expect(abandonReason('something new')).toBe('other');
  });
});
