import { afterEach, describe, expect, it } from 'vitest';
import { RoundEventStream } from '../src/dashboard/roundEventStream.ts';
import type { RoundEvent } from '../src/engine/coordinator.ts';
import { call, startAuthApp, type AuthApp } from './helpers/authApp.ts';
import { completedRound } from './helpers/records.ts';

function fakeEngine() {
  const listeners = new Set<(e: RoundEvent) => void>();
  return {
    on(listener: (e: RoundEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(e: RoundEvent) {
      for (const l of listeners) l(e);
    },
    get listeners() {
      return listeners.size;
    },
  };
}

/** Reads Server-Sent Events from a fetch response, one parsed frame at a time. */
function sseReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const raw: string[] = [];
  return {
    raw,
    async next(): Promise<{ event: string; data: any }> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(':')) continue;
          raw.push(frame);
          const event = /^event: (.*)$/m.exec(frame)![1]!;
          const data = JSON.parse(/^data: (.*)$/m.exec(frame)![1]!);
          return { event, data };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += value;
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('REST: live round feed (SSE)', () => {
  let app: AuthApp | null = null;
  let events: RoundEventStream | null = null;
  afterEach(async () => {
    events?.close();
    await app?.close();
    app = null;
    events = null;
  });

  it('needs an analyst token, then streams counts, never participant ids', async () => {
    const engine = fakeEngine();
    events = new RoundEventStream(engine);
    app = await startAuthApp({ events });
    expect((await fetch(`${app.url}/api/events`)).status).toBe(401);

    const res = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${app.analystToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = sseReader(res);
    expect(await sse.next()).toEqual({ event: 'snapshot', data: { type: 'snapshot', running: [] } });

    engine.emit({ type: 'roundStarted', task: 'injury', round: 3, roundId: 'injury-3-ab', selected: 7, deadline: 1234 });
    expect((await sse.next()).data).toEqual({ type: 'progress', progress: { task: 'injury', round: 3, roundId: 'injury-3-ab', selected: 7, reported: 0, deadline: 1234 } });
    engine.emit({ type: 'updateReceived', task: 'injury', round: 3, roundId: 'injury-3-ab', reported: 2 });
    expect((await sse.next()).data.progress.reported).toBe(2);

    const late = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${app.adminToken}` } });
    const lateSse = sseReader(late);
    expect((await lateSse.next()).data.running).toEqual([{ task: 'injury', round: 3, roundId: 'injury-3-ab', selected: 7, reported: 2, deadline: 1234 }]);

    const record = { ...completedRound('injury', 3, ['cl_secret1', 'cl_secret2', 'cl_secret3']), roundId: 'injury-3-ab' };
    engine.emit({ type: 'roundEnded', record });
    const ended = await sse.next();
    expect(ended.event).toBe('roundEnded');
    expect(ended.data.round).toMatchObject({ round: 3, selected: 3, reported: 2, dropped: 1, status: 'completed' });
    expect(sse.raw.join('\n')).not.toMatch(/cl_secret/);
    expect(events.snapshot()).toEqual([]);
    await sse.cancel();
    await lateSse.cancel();
  });

  it('refuses streams beyond its capacity with 503, and close() ends them all', async () => {
    const engine = fakeEngine();
    events = new RoundEventStream(engine, { maxClients: 1 });
    app = await startAuthApp({ events });
    const first = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${app.analystToken}` } });
    const sse = sseReader(first);
    await sse.next();
    const second = await fetch(`${app.url}/api/events`, { headers: { authorization: `Bearer ${app.analystToken}` } });
    expect(second.status).toBe(503);
    events.close();
    await expect(sse.next()).rejects.toThrow(/ended/);
    expect(engine.listeners).toBe(0);
  });
});

describe('REST: rate limits', () => {
  let app: AuthApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('429 with Retry-After once an address spends its enrollment budget', async () => {
    app = await startAuthApp({ rateLimits: { enroll: { burst: 2, perSecond: 0.01 } } });
    const attempt = () => call(app!.url, 'POST', '/api/enroll', { body: { inviteCode: 'ZZZZZ-ZZZZZ', publicKey: Buffer.alloc(32).toString('base64') } });
    expect((await attempt()).status).toBe(404);
    expect((await attempt()).status).toBe(404);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(app.url, 'GET', '/api/tasks', { token: app.analystToken })).status).toBe(200);
    app.clock.now += 100_000;
    expect((await attempt()).status).toBe(404);
  });

  it('limits the whole API per address', async () => {
    app = await startAuthApp({ rateLimits: { api: { burst: 3, perSecond: 0.01 } } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(app.url, 'GET', '/api/tasks', { token: app.analystToken })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await call(app.url, 'GET', '/health')).status).toBe(200);
  });
});

describe('dashboard page', () => {
  let app: AuthApp | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('is served self-contained with a strict Content-Security-Policy', async () => {
    app = await startAuthApp();
    for (const path of ['/dashboard', '/dashboard/', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'/);
      const text = await res.text();
      expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
    const page = await (await fetch(`${app.url}/dashboard`)).text();
    expect(page).toMatch(/<label for="token">/);
  });
});
