import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enroll, FederatedClient, InMemoryDataSource, SocketIoClientTransport, type Enrollment } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { computeEpsilon, ledgerEpsilon } from '@huddle/shared/privacy';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';

describe('DP sampling rate in an enrolled federation (Poisson check-in)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-q-'));
  let running: RunningCoordinator | null = null;
  const clients: FederatedClient[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.stop());
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('divides by every athlete enrolled for the task, not only those online, and charges the q the check-in used', async () => {
    await initNodeBackend();
    const base = defaultTaskConfig('readiness');
    running = await startCoordinator({
      port: 0,
      dataDir: dir,
      security: 'enrolled',
      tasks: [defaultTaskConfig('readiness', { clientsPerRound: 3, minClients: 1, overSelection: 1, fit: { ...base.fit, clipNorm: 0.1 }, privacy: { ...base.privacy, noise: 'central', noiseMultiplier: 1 } })],
    });
    const url = running.url;
    const token = running.adminToken!;
    const enrollments: Enrollment[] = [];
    for (let i = 0; i < 6; i++) {
      const invite = (await (await fetch(`${url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"tasks":["readiness"]}' })).json()) as { code: string };
      enrollments.push(await enroll(url, invite.code));
    }
    // Six enrolled, three online.
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 3, days: 150, seed: 2 })).values()];
    athletes.forEach((rows, i) => {
      const e = enrollments[i]!;
      clients.push(new FederatedClient({ transport: new SocketIoClientTransport(url, { reconnection: false }), clientId: e.clientId, signingKey: e.secretKey, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }));
    });
    await Promise.all(clients.map((c) => c.start()));
    // Each online athlete checks in with q = 3 / 6; a round nobody checked in to is abandoned uncharged.
    let record = await running.coordinator.runRound('readiness');
    for (let i = 0; i < 20 && record.status !== 'completed'; i++) {
      expect(record.reason).toMatch(/check-in drew 0 of 3/);
      record = await running.coordinator.runRound('readiness');
    }
    expect(record.status).toBe('completed');
    expect(record.selected.length).toBeGreaterThan(0);
    expect(record.privacy!.samplingRate).toBe(0.5);
    // One round's epsilon: the rounds nobody checked in to spent nothing. The round's two releases are its update
    // (q = 0.5) and its evaluation, which asks every idle client (q = 1: being online is no secret coin).
    const charged = { taskId: 'readiness', entries: [{ samplingRate: 0.5, noiseMultiplier: 1, steps: 1 }, { samplingRate: 1, noiseMultiplier: 1, steps: 1 }] };
    expect(record.privacy!.epsilon).toBeCloseTo(ledgerEpsilon(charged, base.privacy.delta).epsilon, 10);
    expect(record.privacy!.epsilon).toBeGreaterThan(computeEpsilon({ noiseMultiplier: 1, samplingRate: 0.5, rounds: 1, delta: base.privacy.delta }).epsilon);

  });
});
