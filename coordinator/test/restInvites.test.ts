import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startAuthApp, type AuthApp } from './helpers/authApp.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const newKey = () => b64(nacl.sign.keyPair().publicKey);

describe('REST: invites and enrollment', () => {
  let app: AuthApp;
  beforeEach(async () => {
    app = await startAuthApp({ publicUrl: 'https://huddle.example.org/' });
  });
  afterEach(async () => app.close());

  const invite = async (body: unknown = {}) => call(app.url, 'POST', '/api/invites', { token: app.adminToken, body });
  const enroll = async (inviteCode: string, publicKey = newKey()) => call(app.url, 'POST', '/api/enroll', { body: { inviteCode, publicKey } });
  const inviteCount = async () => (await call(app.url, 'GET', '/api/invites', { token: app.adminToken })).json.length as number;

  describe('POST /api/invites', () => {
    it('401 without a credential, 403 for an analyst, and nothing created', async () => {
      const none = await call(app.url, 'POST', '/api/invites', { body: {} });
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await call(app.url, 'POST', '/api/invites', { token: 'hdl_wrong-token-wrong-token', body: {} })).status).toBe(401);
      const analyst = await call(app.url, 'POST', '/api/invites', { token: app.analystToken, body: {} });
      expect(analyst.status).toBe(403);
      expect(analyst.json.error).toMatch(/admin/);
      expect(await inviteCount()).toBe(0);
    });

    it('400 with a clear message for malformed bodies, and nothing created', async () => {
      for (const [body, message] of [
        [{ tasks: ['sleep'] }, /hosted tasks/],
        [{ tasks: [] }, /non-empty/],
        [{ expiresInHours: -1 }, /expiresInHours/],
        [{ expiresInHours: 'soon' }, /expiresInHours/],
        [{ expiresInHours: 24 * 365 }, /expiresInHours/],
        [{ note: 'x'.repeat(201) }, /note/],
        [{ athleteName: 'Jane' }, /unexpected field/],
        [[1, 2], /JSON object/],
      ] as const) {
        const res = await invite(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error).toMatch(message);
      }
      const broken = await call(app.url, 'POST', '/api/invites', { token: app.adminToken, body: '{"tasks": [' });
      expect(broken.status).toBe(400);
      expect(await inviteCount()).toBe(0);
    });

    it('201 with a one-time code, a join link, the expiry and the tasks', async () => {
      const before = app.clock.now;
      const res = await invite({ tasks: ['readiness'], expiresInHours: 2, note: 'U17 squad' });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ id: expect.stringMatching(/^inv_/), code: expect.stringMatching(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/), joinUrl: `https://huddle.example.org/#/join?code=${res.json.code}`, expiresAt: new Date(before + 2 * 3_600_000).toISOString(), tasks: ['readiness'] });
      const all = await invite();
      expect(all.json.tasks).toEqual(['injury', 'readiness']);
      const list = await call(app.url, 'GET', '/api/invites', { token: app.adminToken });
      expect(list.json.map((i: { state: string }) => i.state)).toEqual(['pending', 'pending']);
      expect(JSON.stringify(list.json)).not.toContain(res.json.code);
    });
  });

  describe('POST /api/enroll', () => {
    it('201 with a random client id and the invite\'s tasks', async () => {
      const { json } = await invite({ tasks: ['injury'] });
      const res = await enroll(json.code.toLowerCase());
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ clientId: expect.stringMatching(/^cl_[A-Za-z0-9_-]{22}$/), tasks: ['injury'] });
      expect(app.store.enrollments.byClientId(res.json.clientId)?.tasks).toEqual(['injury']);
    });

    it('400 for malformed bodies, keys and codes', async () => {
      const { json } = await invite();
      for (const body of [
        {},
        { inviteCode: json.code },
        { inviteCode: json.code, publicKey: 'not base64!' },
        { inviteCode: json.code, publicKey: b64(new Uint8Array(31)) },
        { inviteCode: json.code, publicKey: b64(new Uint8Array(64)) },
        { inviteCode: 'ABC', publicKey: newKey() },
        { inviteCode: json.code, publicKey: newKey(), name: 'Jane' },
      ]) {
        const res = await call(app.url, 'POST', '/api/enroll', { body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(typeof res.json.error).toBe('string');
      }
      expect((await enroll(json.code)).status).toBe(201);
    });

    it('404 for an unknown code', async () => {
      const res = await enroll('ZZZZZ-ZZZZZ');
      expect(res.status).toBe(404);
      expect(res.json.error).toMatch(/unknown invite/);
    });

    it('410 once used, expired or revoked', async () => {
      const used = (await invite()).json;
      expect((await enroll(used.code)).status).toBe(201);
      const again = await enroll(used.code);
      expect(again.status).toBe(410);
      expect(again.json.error).toMatch(/already used/);

      const expiring = (await invite({ expiresInHours: 1 })).json;
      app.clock.now += 3_600_000;
      const expired = await enroll(expiring.code);
      expect(expired.status).toBe(410);
      expect(expired.json.error).toMatch(/expired/);

      const revoked = (await invite()).json;
      expect((await call(app.url, 'DELETE', `/api/invites/${revoked.id}`, { token: app.adminToken })).status).toBe(204);
      const refused = await enroll(revoked.code);
      expect(refused.status).toBe(410);
      expect(refused.json.error).toMatch(/revoked/);
    });

    it('409 for a public key that is already enrolled, leaving the invite unused', async () => {
      const key = newKey();
      expect((await enroll((await invite()).json.code, key)).status).toBe(201);
      const second = (await invite()).json;
      expect((await enroll(second.code, key)).status).toBe(409);
      expect((await enroll(second.code)).status).toBe(201);
    });
  });

  describe('DELETE /api/invites/:id', () => {
    it('revokes an unused invite; 403 for analysts (invite still usable), 404 unknown, 409 once used, 410 once revoked', async () => {
      const pending = (await invite()).json;
      expect((await call(app.url, 'DELETE', `/api/invites/${pending.id}`, { token: app.analystToken })).status).toBe(403);
      expect((await call(app.url, 'DELETE', `/api/invites/${pending.id}`)).status).toBe(401);
      expect((await call(app.url, 'DELETE', '/api/invites/inv_nope', { token: app.adminToken })).status).toBe(404);
      expect((await enroll(pending.code)).status).toBe(201);
      const used = await call(app.url, 'DELETE', `/api/invites/${pending.id}`, { token: app.adminToken });
      expect(used.status).toBe(409);
      const other = (await invite()).json;
      expect((await call(app.url, 'DELETE', `/api/invites/${other.id}`, { token: app.adminToken })).status).toBe(204);
      const again = await call(app.url, 'DELETE', `/api/invites/${other.id}`, { token: app.adminToken });
      expect(again.status).toBe(410);
      expect(again.json.error).toBe('this invite was already revoked');
      const states = (await call(app.url, 'GET', '/api/invites', { token: app.adminToken })).json.map((i: { state: string }) => i.state);
      expect(states).toEqual(['used', 'revoked']);
    });
  });
});
