import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nacl from 'tweetnacl';
import { afterAll, describe, expect, it } from 'vitest';
import { enroll, FederatedClient, InMemoryDataSource, SocketIoClientTransport, type ClientEvent, type Enrollment } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultPrivacyPolicy, defaultTaskConfig } from '@huddle/shared/protocol';
import { countersignEnrollment, signingPublicKey, toHex } from '@huddle/shared/secagg';
import { generateSyntheticFederation } from '@huddle/simulations';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('auditor countersignatures: stored by a real coordinator, relayed in secure rosters over socket.io', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-auditor-'));
  const auditor = nacl.sign.keyPair();
  let running: RunningCoordinator | null = null;
  const clients: FederatedClient[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.stop());
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('clients count only countersigned peers: 4 of 6 countersigned is refused, all 6 completes', async () => {
    await initNodeBackend();
    const base = defaultTaskConfig('readiness');
    running = await startCoordinator({
      port: 0,
      dataDir: dir,
      security: 'enrolled',
      auditorPublicKey: auditor.publicKey,
      tasks: [
        defaultTaskConfig('readiness', {
          clientsPerRound: 6,
          minClients: 5,
          overSelection: 1,
          roundTimeoutMs: 30_000,
          fit: { ...base.fit, clipNorm: 0.1 },
          secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 5_000 },
        }),
      ],
    });
    const { url } = running;
    const admin = { authorization: `Bearer ${running.adminToken!}`, 'content-type': 'application/json' };
    const policy = { ...defaultPrivacyPolicy(), auditorPublicKey: toHex(auditor.publicKey) };
    const enrollments: Enrollment[] = [];
    for (let i = 0; i < 6; i++) {
      const invite = (await (await fetch(`${url}/api/invites`, { method: 'POST', headers: admin, body: '{"tasks":["readiness"]}' })).json()) as { code: string };
      enrollments.push(await enroll(url, invite.code, policy));
    }
    const countersign = (clientId: string, signature: Uint8Array) =>
      fetch(`${url}/api/auditor/countersignatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clientId, signature: b64(signature) }) });
    const signatureOf = (e: Enrollment, key = auditor.secretKey) => countersignEnrollment(key, e.clientId, signingPublicKey(e.secretKey));

    // The route authenticates by the signature alone: the operator (any other key) cannot countersign.
    const operatorKey = nacl.sign.keyPair().secretKey;
    expect((await countersign(enrollments[0]!.clientId, signatureOf(enrollments[0]!, operatorKey))).status).toBe(401);
    expect((await countersign(enrollments[1]!.clientId, signatureOf(enrollments[0]!))).status).toBe(401);
    expect((await countersign('nobody', signatureOf(enrollments[0]!))).status).toBe(404);
    const malformed = await countersign(enrollments[0]!.clientId, new Uint8Array(10));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: string }).error).toMatch(/64 bytes/);
    for (const e of enrollments.slice(0, 4)) expect((await countersign(e.clientId, signatureOf(e))).status).toBe(201);
    expect(await (await fetch(`${url}/api/auditor`, { headers: admin })).json()).toEqual({ auditorPublicKey: toHex(auditor.publicKey), countersigned: 4 });
    expect((await fetch(`${url}/api/auditor`)).status).toBe(401);

    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 6, days: 120, seed: 4 })).values()];
    const events: ClientEvent[] = [];
    athletes.forEach((rows, i) => {
      const e = enrollments[i]!;
      const client = new FederatedClient({ transport: new SocketIoClientTransport(url, { reconnection: false }), clientId: e.clientId, signingKey: e.secretKey, privacyPolicy: e.privacyPolicy, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer });
      client.on((ev) => events.push(ev));
      clients.push(client);
    });
    await Promise.all(clients.map((c) => c.start()));
    await running.coordinator.waitForClients('readiness', 6, 30_000);

    const refused = await running.coordinator.runRound('readiness');
    expect(refused.status).toBe('abandoned');
    const refusals = events.filter((ev): ev is Extract<ClientEvent, { type: 'refused' }> => ev.type === 'refused' && ev.roundId === refused.roundId);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.code === 'roster-below-policy' && /4 countersigned participants/.test(r.reason))).toBe(true);

    for (const e of enrollments.slice(4)) expect((await countersign(e.clientId, signatureOf(e))).status).toBe(201);
    const completed = await running.coordinator.runRound('readiness');
    expect(completed.reason).toBeNull();
    expect(completed.status).toBe('completed');
    expect(completed.reported).toHaveLength(6);
  });
});
