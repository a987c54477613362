import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nacl from 'tweetnacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { EnrollmentVerifier } from '../../coordinator/src/auth/clientVerifier.ts';
import { ensureAdminCredential } from '../../coordinator/src/auth/credentials.ts';
import { signErasure } from '../../coordinator/src/auth/erasure.ts';
import { RoundEventStream } from '../../coordinator/src/dashboard/roundEventStream.ts';
import { Coordinator } from '../../coordinator/src/engine/coordinator.ts';
import { createApp } from '../../coordinator/src/http/app.ts';
import { guardSocketIo } from '../../coordinator/src/limits/socketIoGuard.ts';
import { SqliteStore } from '../../coordinator/src/store/sqliteStore.ts';
import { SocketIoServerTransport } from '../../coordinator/src/transport/socketIoServer.ts';
import { tempDir } from '../../coordinator/test/helpers/tempDir.ts';
import { RawClient } from '../helpers/rawClient.ts';

/** The wiring server.ts is meant to do, assembled by hand: SQLite store, verifier, auth, limits. */
describe('an enrolled device over socket.io', () => {
  const tmp = tempDir('huddle-ops-');
  let store: SqliteStore;
  let coordinator: Coordinator;
  let events: RoundEventStream;
  let http: Server;
  let url: string;
  let admin: string;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    store = SqliteStore.inDirectory(tmp.dir);
    admin = ensureAdminCredential(store)!;
    coordinator = new Coordinator({ tasks: [defaultTaskConfig('readiness')], store, featureCount: FEATURE_COUNT, authenticator: new EnrollmentVerifier(store) });
    events = new RoundEventStream(coordinator);
    const app = createApp({
      coordinator,
      auth: { store, events, rateLimits: false, onEnrollmentEnded: (clientId) => coordinator.registry.byId(clientId)?.conn.close('enrollment ended') },
    });
    http = createServer(app);
    const transport = new SocketIoServerTransport(http);
    guardSocketIo(transport.io, { maxConnectionsPerAddress: 20, messages: { burst: 50, perSecond: 20 } });
    await coordinator.attach(transport);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    events.close();
    await coordinator.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    tmp.remove();
  });

  async function enroll(): Promise<{ clientId: string; keys: nacl.SignKeyPair }> {
    const invite = await (await fetch(`${url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{}' })).json();
    const keys = nacl.sign.keyPair();
    const res = await fetch(`${url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inviteCode: invite.code, publicKey: Buffer.from(keys.publicKey).toString('base64') }) });
    expect(res.status).toBe(201);
    return { clientId: (await res.json()).clientId, keys };
  }

  function client(): RawClient {
    const c = new RawClient(url);
    clients.push(c);
    return c;
  }

  it('joins with its enrolled key', async () => {
    const device = await enroll();
    const c = client();
    await c.hello(device.clientId, ['readiness'], device.keys.secretKey);
    expect(c.received.some((m) => m.type === 'welcome')).toBe(true);
    expect(coordinator.registry.byId(device.clientId)).toBeDefined();
  });

  it("is refused with another device's key, or without any", async () => {
    const device = await enroll();
    const impostor = client();
    await impostor.hello(device.clientId, ['readiness'], nacl.sign.keyPair().secretKey);
    expect(impostor.errors().map((e) => e.code)).toEqual(['unauthorized']);
    expect(impostor.errors()[0]!.message).toMatch(/bad-signature/);
    const unsigned = client();
    await unsigned.hello(device.clientId, ['readiness']);
    expect(unsigned.errors()[0]!.message).toMatch(/missing-signature/);
    expect(coordinator.registry.byId(device.clientId)).toBeUndefined();
  });

  it('is disconnected when an admin revokes it, and cannot join again', async () => {
    const device = await enroll();
    const c = client();
    await c.hello(device.clientId, ['readiness'], device.keys.secretKey);
    const closed = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
    const res = await fetch(`${url}/api/enrollments/${device.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(204);
    await closed;
    const again = client();
    await again.hello(device.clientId, ['readiness'], device.keys.secretKey);
    expect(again.errors()[0]!.message).toMatch(/revoked/);
  });

  it('erases itself with a signed request and is then unknown', async () => {
    const device = await enroll();
    const ts = Date.now();
    const res = await fetch(`${url}/api/enrollments/${device.clientId}`, { method: 'DELETE', headers: { 'x-huddle-timestamp': String(ts), 'x-huddle-signature': signErasure(device.keys.secretKey, device.clientId, ts) } });
    expect(res.status).toBe(204);
    const again = client();
    await again.hello(device.clientId, ['readiness'], device.keys.secretKey);
    expect(again.errors()[0]!.message).toMatch(/unknown-client/);
  });
});
