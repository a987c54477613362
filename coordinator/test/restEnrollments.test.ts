import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnrollmentVerifier } from '../src/auth/clientVerifier.ts';
import { erasureMessage, signErasure } from '../src/auth/erasure.ts';
import { call, startAuthApp, type AuthApp } from './helpers/authApp.ts';
import { completedRound, checkpoint } from './helpers/records.ts';
import { enrollDevice, type EnrolledDevice } from './helpers/enrolled.ts';

describe('REST: revoking and erasing enrollments', () => {
  let app: AuthApp;
  let device: EnrolledDevice;
  let other: EnrolledDevice;
  let ended: string[];
  beforeEach(async () => {
    ended = [];
    app = await startAuthApp({ onEnrollmentEnded: (id) => ended.push(id) });
    device = enrollDevice(app.store);
    other = enrollDevice(app.store);
  });
  afterEach(async () => app.close());

  const verifier = () => new EnrollmentVerifier(app.store);

  describe('by an admin', () => {
    it('204 revokes: the client becomes inactive and its connection can be dropped', async () => {
      const res = await call(app.url, 'DELETE', `/api/enrollments/${device.clientId}`, { token: app.adminToken });
      expect(res.status).toBe(204);
      expect(verifier().isActive(device.clientId)).toBe(false);
      expect(verifier().isActive(other.clientId)).toBe(true);
      expect(ended).toEqual([device.clientId]);
      const summary = await call(app.url, 'GET', '/api/enrollments/summary', { token: app.analystToken });
      expect(summary.json).toEqual({ active: 1, revoked: 1, byTask: { injury: 1, readiness: 1 } });
    });

    it('403 for an analyst and 401 for a bad token, with the client still active', async () => {
      expect((await call(app.url, 'DELETE', `/api/enrollments/${device.clientId}`, { token: app.analystToken })).status).toBe(403);
      expect((await call(app.url, 'DELETE', `/api/enrollments/${device.clientId}`, { token: 'hdl_guessed-guessed-guessed' })).status).toBe(401);
      expect(verifier().isActive(device.clientId)).toBe(true);
      expect(ended).toEqual([]);
    });

    it('404 for an unknown client, 410 for one already revoked', async () => {
      expect((await call(app.url, 'DELETE', '/api/enrollments/cl_nobody', { token: app.adminToken })).status).toBe(404);
      expect((await call(app.url, 'DELETE', `/api/enrollments/${device.clientId}`, { token: app.adminToken })).status).toBe(204);
      const again = await call(app.url, 'DELETE', `/api/enrollments/${device.clientId}`, { token: app.adminToken });
      expect(again.status).toBe(410);
      expect(ended).toEqual([device.clientId]);
    });
  });

  describe('by the athlete (signed self-erasure)', () => {
    const signed = (d: EnrolledDevice, ts: number, clientId = d.clientId) => ({ 'x-huddle-timestamp': String(ts), 'x-huddle-signature': signErasure(d.keys.secretKey, clientId, ts) });
    const erase = (clientId: string, headers: Record<string, string>) => call(app.url, 'DELETE', `/api/enrollments/${clientId}`, { headers });

    it('204 forgets the enrollment and its key; its pseudonymous id in the round history becomes a tombstone', async () => {
      const weights = app.coordinator.taskState('injury').weights;
      app.store.commitRound(completedRound('injury', 1, [device.clientId, other.clientId, 'cl_z']), { ...checkpoint('injury', 1, []), weights });
      const res = await erase(device.clientId, signed(device, app.clock.now));
      expect(res.status).toBe(204);
      expect(app.store.enrollments.byClientId(device.clientId)).toBeNull();
      expect(app.store.enrollments.byPublicKey(device.keys.publicKey)).toBeNull();
      expect(verifier().isActive(device.clientId)).toBe(false);
      expect(ended).toEqual([device.clientId]);
      const [round] = app.store.history('injury');
      expect(JSON.stringify(app.store.history('injury'))).not.toContain(device.clientId);
      expect(round!.selected).toEqual(['erased', other.clientId, 'cl_z']);
      expect(round!.reported).toEqual(['erased', other.clientId]);
      expect(round!.dropped).toEqual(['cl_z']);
    });

    it('refuses a replayed signature', async () => {
      const headers = signed(device, app.clock.now);
      expect((await erase(device.clientId, headers)).status).toBe(204);
      const replay = await erase(device.clientId, headers);
      expect(replay.status).toBe(401);
      expect(replay.json.error).toMatch(/already used/);
    });

    it("refuses a signature by another client's key, or over another client id, and erases nothing", async () => {
      const byOther = await erase(device.clientId, signed(other, app.clock.now, device.clientId));
      expect(byOther.status).toBe(401);
      expect(byOther.json.error).toMatch(/does not match/);
      const forOther = await erase(device.clientId, signed(device, app.clock.now, other.clientId));
      expect(forOther.status).toBe(401);
      expect(verifier().isActive(device.clientId)).toBe(true);
      expect(verifier().isActive(other.clientId)).toBe(true);
    });

    it('refuses a timestamp more than 5 minutes away, either way', async () => {
      const stale = await erase(device.clientId, signed(device, app.clock.now - 5 * 60_000 - 1));
      expect(stale.status).toBe(401);
      expect(stale.json.error).toMatch(/5 minutes/);
      expect((await erase(device.clientId, signed(device, app.clock.now + 5 * 60_000 + 1))).status).toBe(401);
      expect((await erase(device.clientId, signed(device, app.clock.now - 4 * 60_000))).status).toBe(204);
    });

    it('400 for malformed headers, 401 without any credential, 404 for an unknown client', async () => {
      const ts = app.clock.now;
      expect((await erase(device.clientId, { 'x-huddle-timestamp': 'yesterday', 'x-huddle-signature': signed(device, ts)['x-huddle-signature'] })).status).toBe(400);
      expect((await erase(device.clientId, { 'x-huddle-timestamp': String(ts), 'x-huddle-signature': 'AAAA' })).status).toBe(400);
      expect((await erase(device.clientId, { 'x-huddle-timestamp': String(ts) })).status).toBe(401);
      expect((await erase(device.clientId, {})).status).toBe(401);
      const ghost = nacl.sign.keyPair();
      const res = await erase('cl_ghost', { 'x-huddle-timestamp': String(ts), 'x-huddle-signature': signErasure(ghost.secretKey, 'cl_ghost', ts) });
      expect(res.status).toBe(404);
      expect(verifier().isActive(device.clientId)).toBe(true);
    });

    it('signs exactly "DELETE /api/enrollments/<clientId>\\n<timestamp>"', () => {
      expect(erasureMessage('cl_abc', 1700000000000)).toBe('DELETE /api/enrollments/cl_abc\n1700000000000');
      const ts = 1700000000000;
      const sig = Buffer.from(signErasure(device.keys.secretKey, device.clientId, ts), 'base64');
      expect(nacl.sign.detached.verify(new TextEncoder().encode(`DELETE /api/enrollments/${device.clientId}\n${ts}`), sig, device.keys.publicKey)).toBe(true);
    });
  });
});
