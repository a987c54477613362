import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coachFingerprint, openSummary, relayMessage, sealSummary, SUMMARY_CIPHERTEXT_BYTES, type CoachSummary } from '@huddle/shared/coach';
import { SQLITE_FILE_NAME } from '../src/store/sqliteStore.ts';
import { call, startAuthApp, type AuthApp } from './helpers/authApp.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const HOUR = 3_600_000;
const MARKER = 'Zephyrine Quillfeather';

function summary(over: Partial<CoachSummary> = {}): CoachSummary {
  return {
    v: 1,
    athleteName: MARKER,
    date: '2026-12-01',
    sentAt: '2026-12-01T07:00:00.000Z',
    sharingEndsOn: '2026-12-31',
    checkedIn: true,
    readiness: { kind: 'forecast', value: 6.25, band: 'amber', forDate: '2026-12-02' },
    injuryRisk: { kind: 'not-enough-evidence' },
    plannedWeek: [{ date: '2026-12-01', load: 437 }, { date: '2026-12-02', load: 0 }],
    ...over,
  };
}

describe('coach relay: invite, enrollment, pairing, end-to-end encrypted summaries, revocation and expiry', () => {
  let app: AuthApp;
  let coachBox: nacl.BoxKeyPair;
  let coach: { coachId: string; token: string };
  let athlete: { clientId: string; keys: nacl.SignKeyPair };
  let ts = 0;

  const signed = (route: string, payload: unknown, o: { keys?: nacl.SignKeyPair; clientId?: string; timestamp?: number } = {}) => {
    const text = JSON.stringify(payload);
    const clientId = o.clientId ?? athlete.clientId;
    const timestamp = o.timestamp ?? app.clock.now + ++ts;
    const signature = nacl.sign.detached(new TextEncoder().encode(relayMessage(route, clientId, timestamp, text)), (o.keys ?? athlete.keys).secretKey);
    return { clientId, timestamp, payload: text, signature: b64(signature) };
  };
  const grant = async (coachId: string, athleteBox: nacl.BoxKeyPair, expiresAt = app.clock.now + 30 * 24 * HOUR) =>
    call(app.url, 'POST', '/api/coach/grants', { body: signed('POST /api/coach/grants', { coachId, athleteBoxKey: b64(athleteBox.publicKey), expiresAt }) });
  const send = async (grantId: string, athleteBox: nacl.BoxKeyPair, s = summary()) => {
    const sealed = sealSummary(s, coachBox.publicKey, athleteBox.secretKey);
    const route = `POST /api/coach/grants/${grantId}/summaries`;
    return call(app.url, 'POST', `/api/coach/grants/${grantId}/summaries`, { body: signed(route, { nonce: b64(sealed.nonce), ciphertext: b64(sealed.ciphertext) }) });
  };
  const board = async (token = coach.token) => call(app.url, 'GET', '/api/coach/board', { token });

  beforeEach(async () => {
    app = await startAuthApp();
    const invite = await call(app.url, 'POST', '/api/coach-invites', { token: app.adminToken, body: { expiresInHours: 24, note: 'U17 coach' } });
    expect(invite.status).toBe(201);
    expect(invite.json.joinUrl).toMatch(/\/coach\/#join\?code=[0-9A-Z-]+$/);
    coachBox = nacl.box.keyPair();
    const enrolled = await call(app.url, 'POST', '/api/coach/enroll', { body: { inviteCode: invite.json.code, boxPublicKey: b64(coachBox.publicKey) } });
    expect(enrolled.status).toBe(201);
    coach = enrolled.json;
    const athleteInvite = await call(app.url, 'POST', '/api/invites', { token: app.adminToken, body: {} });
    const keys = nacl.sign.keyPair();
    const e = await call(app.url, 'POST', '/api/enroll', { body: { inviteCode: athleteInvite.json.code, publicKey: b64(keys.publicKey) } });
    athlete = { clientId: e.json.clientId, keys };
  });
  afterEach(async () => app.close());

  it('coach invites need the admin role and a valid body; a coach invite works once, and the coach id is its key fingerprint', async () => {
    expect((await call(app.url, 'POST', '/api/coach-invites', { body: {} })).status).toBe(401);
    expect((await call(app.url, 'POST', '/api/coach-invites', { token: app.analystToken, body: {} })).status).toBe(403);
    for (const [body, message] of [
      [{ expiresInHours: 0 }, /expiresInHours/],
      [{ expiresInHours: 'soon' }, /expiresInHours/],
      [{ note: 'x'.repeat(201) }, /note/],
      [{ tasks: ['injury'] }, /tasks|unrecognized|Unrecognized/i],
    ] as const) {
      const res = await call(app.url, 'POST', '/api/coach-invites', { token: app.adminToken, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error).toMatch(message);
    }
    expect(coach.coachId).toBe(coachFingerprint(coachBox.publicKey));
    const list = await call(app.url, 'GET', '/api/coach-invites', { token: app.adminToken });
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ state: 'used', coachId: coach.coachId, note: 'U17 coach' });
    const fresh = await call(app.url, 'POST', '/api/coach-invites', { token: app.adminToken, body: {} });
    const badKey = await call(app.url, 'POST', '/api/coach/enroll', { body: { inviteCode: fresh.json.code, boxPublicKey: 'AAAA' } });
    expect(badKey.status).toBe(400);
    expect(badKey.json.error).toMatch(/boxPublicKey/);
    const again = await call(app.url, 'POST', '/api/coach/enroll', { body: { inviteCode: list.json[0].id, boxPublicKey: b64(nacl.box.keyPair().publicKey) } });
    expect(again.status).toBe(400);
    const key = await call(app.url, 'GET', `/api/coach/keys/${coach.coachId}`);
    expect(unb64(key.json.boxPublicKey)).toEqual(coachBox.publicKey);
    const coaches = await call(app.url, 'GET', '/api/coaches', { token: app.adminToken });
    expect(coaches.json).toEqual([expect.objectContaining({ coachId: coach.coachId, state: 'active', activeGrants: 0 })]);
  });

  it('relays a sealed summary the coach opens, while the SQLite file and its WAL hold no plaintext of it', async () => {
    const athleteBox = nacl.box.keyPair();
    const g = await grant(coach.coachId, athleteBox);
    expect(g.status).toBe(201);
    expect((await send(g.json.grantId, athleteBox)).status).toBe(201);
    const later = summary({ date: '2026-12-02', readiness: { kind: 'forecast', value: 4.5, band: 'red', forDate: '2026-12-03' } });
    expect((await send(g.json.grantId, athleteBox, later)).status).toBe(201);

    const b = await board();
    expect(b.status).toBe(200);
    expect(b.headers.get('cache-control')).toBe('no-store');
    expect(b.json.athletes).toHaveLength(1);
    const entry = b.json.athletes[0];
    expect(unb64(entry.athleteBoxKey)).toEqual(athleteBox.publicKey);
    const opened = entry.summaries.map((s: { nonce: string; ciphertext: string }) => openSummary(unb64(s.nonce), unb64(s.ciphertext), unb64(entry.athleteBoxKey), coachBox.secretKey));
    expect(opened).toEqual([{ ok: true, summary: summary() }, { ok: true, summary: later }]);
    // Another key pair cannot open it, and a flipped byte is refused.
    const stranger = nacl.box.keyPair();
    expect(openSummary(unb64(entry.summaries[0].nonce), unb64(entry.summaries[0].ciphertext), unb64(entry.athleteBoxKey), stranger.secretKey).ok).toBe(false);
    const tampered = unb64(entry.summaries[0].ciphertext);
    tampered[100] = tampered[100]! ^ 1;
    expect(openSummary(unb64(entry.summaries[0].nonce), tampered, unb64(entry.athleteBoxKey), coachBox.secretKey).ok).toBe(false);

    const path = join(app.dataDir, SQLITE_FILE_NAME);
    const db = new Database(path, { readonly: true });
    try {
      const rows = db.prepare('SELECT grant_id, nonce, ciphertext FROM coach_summaries').all() as { grant_id: string; nonce: Buffer; ciphertext: Buffer }[];
      expect(rows).toHaveLength(2);
      for (const r of rows) expect(r.ciphertext.length).toBe(SUMMARY_CIPHERTEXT_BYTES);
      expect(db.prepare('PRAGMA table_info(coach_summaries)').all().map((c: any) => c.name)).toEqual(['id', 'grant_id', 'nonce', 'ciphertext', 'received_at']);
    } finally {
      db.close();
    }
    const bytes = Buffer.concat([readFileSync(path), existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`) : Buffer.alloc(0)]);
    for (const needle of [MARKER, '"athleteName"', '"plannedWeek"', '"checkedIn"', '"forDate"', '"injuryRisk"', '"sharingEndsOn"', '6.25', '437']) {
      expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
    }
    // The test's needles are findable where they do exist: in the plaintext the coach opened.
    expect(JSON.stringify(opened)).toContain(MARKER);
  });

  it('refuses forged, replayed, stale and malformed athlete requests with clear errors, storing nothing', async () => {
    const athleteBox = nacl.box.keyPair();
    const body = signed('POST /api/coach/grants', { coachId: coach.coachId, athleteBoxKey: b64(athleteBox.publicKey), expiresAt: app.clock.now + HOUR });
    const forged = { ...body, signature: b64(nacl.sign.detached(new TextEncoder().encode('x'), nacl.sign.keyPair().secretKey)) };
    expect((await call(app.url, 'POST', '/api/coach/grants', { body: forged })).json.error).toMatch(/signature does not match/);
    expect((await call(app.url, 'POST', '/api/coach/grants', { body })).status).toBe(201);
    const replay = await call(app.url, 'POST', '/api/coach/grants', { body });
    expect(replay.status).toBe(403);
    expect(replay.json.error).toMatch(/already used/);
    const stale = signed('POST /api/coach/grants', { coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now + HOUR }, { timestamp: app.clock.now - 10 * 60_000 });
    expect((await call(app.url, 'POST', '/api/coach/grants', { body: stale })).json.error).toMatch(/5 minutes/);
    // Signed for one route, sent to another.
    const wrongRoute = signed('POST /api/coach/grants/x/revoke', { coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now + HOUR });
    expect((await call(app.url, 'POST', '/api/coach/grants', { body: wrongRoute })).status).toBe(403);
    for (const [payload, status, message] of [
      [{ coachId: 'not-a-code', athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now + HOUR }, 400, /coachId/],
      [{ coachId: coach.coachId, athleteBoxKey: 'short', expiresAt: app.clock.now + HOUR }, 400, /athleteBoxKey/],
      [{ coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now - 1 }, 400, /future/],
      [{ coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now + 400 * 24 * HOUR }, 400, /366 days/],
      [{ coachId: coachFingerprint(nacl.box.keyPair().publicKey), athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: app.clock.now + HOUR }, 404, /no active coach/],
    ] as const) {
      const res = await call(app.url, 'POST', '/api/coach/grants', { body: signed('POST /api/coach/grants', payload) });
      expect(res.status, JSON.stringify(payload)).toBe(status);
      expect(res.json.error).toMatch(message);
    }
    expect((await call(app.url, 'POST', '/api/coach/grants', { body: { clientId: athlete.clientId } })).json.error).toMatch(/^signed request: /);
    expect((await call(app.url, 'POST', '/api/coach/grants', { body: '{"clientId": [' })).status).toBe(400);
    const g = (await board()).json.athletes;
    expect(g).toHaveLength(1);
    // A summary that is not a whole sealed summary is refused, so the size the coordinator sees is always the same.
    const route = `POST /api/coach/grants/${g[0].grantId}/summaries`;
    const short = await call(app.url, 'POST', `/api/coach/grants/${g[0].grantId}/summaries`, { body: signed(route, { nonce: b64(nacl.randomBytes(24)), ciphertext: b64(nacl.randomBytes(100)) }) });
    expect(short.status).toBe(400);
    expect(short.json.error).toMatch(/ciphertext/);
    // Another athlete cannot post into or revoke this athlete's sharing.
    const otherKeys = nacl.sign.keyPair();
    const inv = await call(app.url, 'POST', '/api/invites', { token: app.adminToken, body: {} });
    const other = (await call(app.url, 'POST', '/api/enroll', { body: { inviteCode: inv.json.code, publicKey: b64(otherKeys.publicKey) } })).json.clientId as string;
    const revokeRoute = `POST /api/coach/grants/${g[0].grantId}/revoke`;
    expect((await call(app.url, 'POST', `/api/coach/grants/${g[0].grantId}/revoke`, { body: signed(revokeRoute, {}, { keys: otherKeys, clientId: other }) })).status).toBe(404);
    expect(app.store.coaches.summaryCount()).toBe(0);
  });

  it('revocation deletes the stored ciphertexts and refuses new ones; the board drops the athlete', async () => {
    const athleteBox = nacl.box.keyPair();
    const { grantId } = (await grant(coach.coachId, athleteBox)).json;
    expect((await send(grantId, athleteBox)).status).toBe(201);
    expect(app.store.coaches.summaryCount()).toBe(1);
    const route = `POST /api/coach/grants/${grantId}/revoke`;
    expect((await call(app.url, 'POST', `/api/coach/grants/${grantId}/revoke`, { body: signed(route, {}) })).status).toBe(204);
    expect(app.store.coaches.summaryCount()).toBe(0);
    const after = await send(grantId, athleteBox);
    expect(after.status).toBe(410);
    expect(after.json.error).toMatch(/revoked/);
    expect((await board()).json.athletes).toEqual([]);
    expect((await call(app.url, 'POST', `/api/coach/grants/${grantId}/revoke`, { body: signed(route, {}) })).status).toBe(410);
  });

  it('expiry: the coordinator purges and refuses after the athlete\'s chosen end; erasing the athlete removes the sharing', async () => {
    const athleteBox = nacl.box.keyPair();
    const { grantId } = (await grant(coach.coachId, athleteBox, app.clock.now + 2 * HOUR)).json;
    expect((await send(grantId, athleteBox)).status).toBe(201);
    app.clock.now += 3 * HOUR;
    expect((await board()).json.athletes).toEqual([]);
    expect(app.store.coaches.summaryCount()).toBe(0);
    const late = await send(grantId, athleteBox);
    expect(late.status).toBe(410);
    expect(late.json.error).toMatch(/expired/);

    const box2 = nacl.box.keyPair();
    const second = (await grant(coach.coachId, box2)).json.grantId as string;
    expect((await send(second, box2)).status).toBe(201);
    expect(app.store.enrollments.erase(athlete.clientId)).toBe(true);
    expect(app.store.coaches.grantById(second)).toBeNull();
    expect(app.store.coaches.summaryCount()).toBe(0);
  });

  it('a coach revoked by the operator loses the board, and athletes can no longer send to it', async () => {
    const athleteBox = nacl.box.keyPair();
    const { grantId } = (await grant(coach.coachId, athleteBox)).json;
    expect((await send(grantId, athleteBox)).status).toBe(201);
    expect((await board('hdl_not-a-coach-token-at-all')).status).toBe(401);
    expect((await call(app.url, 'DELETE', `/api/coaches/${coach.coachId}`, { token: app.analystToken })).status).toBe(403);
    expect((await call(app.url, 'DELETE', `/api/coaches/${coach.coachId}`, { token: app.adminToken })).status).toBe(204);
    expect(app.store.coaches.summaryCount()).toBe(0);
    expect((await board()).status).toBe(401);
    expect((await send(grantId, athleteBox)).status).toBe(410);
    expect((await call(app.url, 'GET', `/api/coach/keys/${coach.coachId}`)).status).toBe(404);
  });
});
