import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { checkInToRow, previewCsv, rowsToImport, sessionsLoad, type CheckInInput } from '../src/log/checkin.ts';
import { deletionMessage, enroll, EnrollError, forgetEnrollment, inviteCodeFromLink, signDeletion } from '../src/identity.ts';
import { base64ToBytes, base64ToFloats, bytesToBase64, floatsToBase64 } from '@huddle/shared/util';

const form = (over: Partial<CheckInInput> = {}): CheckInInput => ({
  date: '2025-04-02',
  sessions: [{ rpe: '6', minutes: '75' }],
  readiness: '7',
  fatigue: '4',
  mood: '3',
  sleepQuality: '5',
  soreness: '2',
  stress: '',
  sleepHours: '7.5',
  injury: false,
  hrv: '',
  restingHr: '52',
  ...over,
});

describe('daily check-in', () => {
  it('sums sessions as RPE x minutes', () => {
    expect(sessionsLoad([{ rpe: '7', minutes: '60' }, { rpe: '4', minutes: '30' }, { rpe: '', minutes: '' }])).toEqual({ load: 540, errors: [] });
    expect(sessionsLoad([{ rpe: '', minutes: '' }]).load).toBeNull();
    const bad = sessionsLoad([{ rpe: '11', minutes: '60' }, { rpe: '5', minutes: '' }]);
    expect(bad.errors.map((e) => e.field)).toEqual(['session_1_rpe', 'session_2_minutes']);
  });

  it('builds a daily-log row with the shared validator', () => {
    const r = checkInToRow(form(), false);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.row).toMatchObject({ athleteId: 'me', date: '2025-04-02', srpeLoad: 450, readiness: 7, fatigue: 4, stress: null, sleepHours: 7.5, injury: 0, restingHrBpm: 52, hrvRmssdMs: null });
    const rest = checkInToRow(form({ sessions: [{ rpe: '9', minutes: 'x' }], injury: true }), true);
    expect(rest.ok && rest.row.srpeLoad === 0 && rest.row.injury === 1).toBe(true);
  });

  it('reports every bad field, never the value', () => {
    const r = checkInToRow(form({ readiness: '11', fatigue: '2.5', sleepHours: '25', date: '2025-02-30', sessions: [{ rpe: '3', minutes: '-5' }] }), false);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field).sort()).toEqual(['date', 'fatigue', 'readiness', 'session_1_minutes', 'sleep_hours']);
    expect(r.errors.find((e) => e.field === 'readiness')!.reason).toBe('out of range: must be from 0 to 10');
    for (const e of r.errors) expect(e.reason).not.toMatch(/11|2\.5|25|-5/);
  });
});

describe('CSV import preview', () => {
  const header = 'athlete_id,date,srpe_load,readiness,fatigue,mood,sleep_quality,soreness,stress,sleep_hours,injury';
  it('lists refused rows by row number and field and keeps the rest', () => {
    const text = [header, 'a,2025-01-01,300,7,3,3,3,3,3,8,0', 'a,2025-01-02,300,7,9,3,3,3,3,8,0', 'a,2025-01-03,300,7,3,3,3,3,3,8'].join('\n');
    const p = previewCsv(text);
    expect(p.rows.map((r) => r.date)).toEqual(['2025-01-01']);
    expect(p.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'fatigue'],
      [4, '(row)'],
    ]);
    expect(rowsToImport(p, null)).toHaveLength(1);
  });

  it('asks which athlete to import when the file holds several', () => {
    const text = [header, 'a,2025-01-01,300,7,3,3,3,3,3,8,0', 'b,2025-01-01,100,5,3,3,3,3,3,8,0', 'b,2025-01-02,100,5,3,3,3,3,3,8,0'].join('\n');
    const p = previewCsv(text);
    expect([...p.athletes]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(() => rowsToImport(p, null)).toThrow(/several athletes/);
    expect(rowsToImport(p, 'b').map((r) => r.date)).toEqual(['2025-01-01', '2025-01-02']);
  });
});

describe('enrollment and erasure requests', () => {
  it('reads invite codes from both link forms', () => {
    expect(inviteCodeFromLink('/', '#/join?code=ABCDE-12345')).toBe('ABCDE-12345');
    expect(inviteCodeFromLink('/join', '#code=ABCDE-12345')).toBe('ABCDE-12345');
    expect(inviteCodeFromLink('/app/join/', '#code=%20AB%20CD%20')).toBe('ABCD');
    expect(inviteCodeFromLink('/', '#/log')).toBeNull();
    expect(inviteCodeFromLink('/join', '#/log')).toBeNull();
  });

  it('enrolls with a fresh Ed25519 key pair and sends only the public key', async () => {
    let sent: { url: string; body: { inviteCode: string; publicKey: string } } | null = null;
    const fetchOk = (async (url: string, init: RequestInit) => {
      sent = { url, body: JSON.parse(String(init.body)) };
      return new Response(JSON.stringify({ clientId: 'cl_abc-123', tasks: ['readiness'] }), { status: 201 });
    }) as unknown as typeof fetch;
    const id = await enroll('https://team.example', '  ABCDE-12345 ', fetchOk);
    expect(sent!.url).toBe('https://team.example/api/enroll');
    expect(Object.keys(sent!.body).sort()).toEqual(['inviteCode', 'publicKey']);
    expect(sent!.body.inviteCode).toBe('ABCDE-12345');
    expect(base64ToBytes(sent!.body.publicKey)).toHaveLength(32);
    expect(id.clientId).toBe('cl_abc-123');
    expect(id.tasksOffered).toEqual(['readiness']);
    expect(id.publicKey).toBe(sent!.body.publicKey);
    const pair = nacl.sign.keyPair.fromSecretKey(base64ToBytes(id.secretKey));
    expect(bytesToBase64(pair.publicKey)).toBe(id.publicKey);
  });

  it('explains refused codes', async () => {
    for (const [status, pattern] of [
      [400, /does not look right/],
      [404, /not known/],
      [410, /already been used or has expired/],
    ] as const) {
      const f = (async () => new Response('{"error":"x"}', { status })) as unknown as typeof fetch;
      const err = await enroll('https://t', 'X', f).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EnrollError);
      expect((err as EnrollError).status).toBe(status);
      expect((err as Error).message).toMatch(pattern);
    }
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(enroll('https://t', 'X', offline)).rejects.toThrow(/Could not reach/);
  });

  it('signs the erasure request over "DELETE /api/enrollments/<id>\\n<timestamp>"', async () => {
    const keys = nacl.sign.keyPair();
    const identity = { clientId: 'cl_x', publicKey: bytesToBase64(keys.publicKey), secretKey: bytesToBase64(keys.secretKey), enrolledAt: '', tasksOffered: [] };
    expect(deletionMessage('cl_x', 1700000000000)).toBe('DELETE /api/enrollments/cl_x\n1700000000000');
    const sig = base64ToBytes(signDeletion(identity, 1700000000000));
    expect(nacl.sign.detached.verify(new TextEncoder().encode('DELETE /api/enrollments/cl_x\n1700000000000'), sig, keys.publicKey)).toBe(true);

    let request: { url: string; method: string; headers: Record<string, string> } | null = null;
    const f = (async (url: string, init: RequestInit) => {
      request = { url, method: String(init.method), headers: init.headers as Record<string, string> };
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    expect(await forgetEnrollment('https://t', identity, f)).toEqual({ ok: true, status: 204 });
    expect(request!.url).toBe('https://t/api/enrollments/cl_x');
    expect(request!.method).toBe('DELETE');
    const ts = request!.headers['X-Huddle-Timestamp']!;
    expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(5000);
    expect(nacl.sign.detached.verify(new TextEncoder().encode(`DELETE /api/enrollments/cl_x\n${ts}`), base64ToBytes(request!.headers['X-Huddle-Signature']!), keys.publicKey)).toBe(true);

    const missingRoute = (async () => new Response('{"error":"no such endpoint"}', { status: 404 })) as unknown as typeof fetch;
    expect((await forgetEnrollment('https://t', identity, missingRoute)).ok).toBe(false);
    const forgotten = (async () => new Response('{"error":"no such enrollment"}', { status: 404 })) as unknown as typeof fetch;
    expect((await forgetEnrollment('https://t', identity, forgotten)).ok).toBe(true);
  });

  it('round-trips float weights through base64', () => {
    const w = Float32Array.of(0, -1.5, 3.25e-8, 1e30);
    expect(Array.from(base64ToFloats(floatsToBase64(w)))).toEqual(Array.from(w));
  });
});
