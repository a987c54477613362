import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enroll, type Enrollment } from '@huddle/client-sdk';
import { startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { encodeEnvelope, encodeMessage, sealMessage } from '@huddle/shared/protocol';
import { RawClient } from '../helpers/rawClient.ts';

async function until(what: string, pred: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The identity checks over a real socket.io connection to an enrolled coordinator. */
describe('who may speak to an enrolled coordinator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-sec-'));
  let running: RunningCoordinator;
  let alice: Enrollment;
  let bob: Enrollment;
  const clients: RawClient[] = [];
  const raw = () => {
    const c = new RawClient(running.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    running = await startCoordinator({ port: 0, dataDir: dir, security: 'enrolled', tasks: ['readiness'] });
    const invite = async () =>
      ((await (await fetch(`${running.url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json' }, body: '{}' })).json()) as { code: string }).code;
    alice = await enroll(running.url, await invite());
    bob = await enroll(running.url, await invite());
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unenrolled socket', async () => {
    const stranger = raw();
    await stranger.hello('someone-else', ['readiness'], nacl.sign.keyPair().secretKey);
    expect(stranger.errors().map((e) => e.code)).toEqual(['unauthorized']);
    expect(stranger.errors()[0]!.message).toMatch(/join refused/);
    expect(running.coordinator.registry.byId('someone-else')).toBeUndefined();
  });

  it('refuses a replayed message and one signed by another client, changing nothing', async () => {
    const a = raw();
    await a.hello(alice.clientId, ['readiness'], alice.secretKey);
    expect(running.coordinator.registry.byId(alice.clientId)?.tasks).toEqual(['readiness']);
    // A genuine message, captured, then sent again verbatim: same seq, same signature.
    const optOut = encodeEnvelope(sealMessage(alice.secretKey, a.nonce, ++a.seq, encodeMessage({ type: 'setTasks', tasks: [] })));
    a.sendRaw(optOut);
    await until('the opt-out', () => running.coordinator.registry.byId(alice.clientId)?.tasks.length === 0);
    a.sendMessage({ type: 'setTasks', tasks: ['readiness'] });
    await until('the opt-in', () => running.coordinator.registry.byId(alice.clientId)?.tasks.length === 1);
    a.sendRaw(optOut);
    const replay = await a.next((m) => m.type === 'error');
    expect(replay.type === 'error' && replay.code).toBe('unauthorized');
    expect(replay.type === 'error' && replay.message).toMatch(/replay/);
    // Bob's key on Alice's connection: the signature does not verify against Alice's enrolled key.
    a.sendRaw(encodeEnvelope(sealMessage(bob.secretKey, a.nonce, ++a.seq + 10, encodeMessage({ type: 'setTasks', tasks: [] }))));
    await a.next((m) => m.type === 'error' && m !== replay && /message refused/.test(m.message));
    expect(running.coordinator.registry.byId(alice.clientId)?.tasks).toEqual(['readiness']);
  });

  it('refuses a revoked athlete', async () => {
    const b = raw();
    await b.hello(bob.clientId, ['readiness'], bob.secretKey);
    expect(running.coordinator.registry.byId(bob.clientId)).toBeDefined();
    const res = await fetch(`${running.url}/api/enrollments/${bob.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${running.adminToken}` } });
    expect(res.status).toBeLessThan(300);
    const again = raw();
    await again.hello(bob.clientId, ['readiness'], bob.secretKey);
    expect(again.errors().map((e) => e.code)).toEqual(['unauthorized']);
    expect(running.coordinator.registry.byId(bob.clientId)).toBeUndefined();
  });
});
