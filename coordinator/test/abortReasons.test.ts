import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { withoutClientIds } from '../src/dashboard/publicRound.ts';
import { RoundEventStream } from '../src/dashboard/roundEventStream.ts';
import type { RoundEvent } from '../src/engine/coordinator.ts';
import { call, startAuthApp } from './helpers/authApp.ts';
import { abandonedRound } from './helpers/records.ts';

const A = 'cl_AAAAAAAAAAAAAAAAAAAAAA';
const B = 'cl_BBBBBBBBBBBBBBBBBBBBBB';
const reason = `secure aggregation aborted: fewer than 2 shares revealed for ${A}, ${B}; reconstructed mask of athlete-7 does not match its commitment`;
const record = () => ({ ...abandonedRound('injury', 1), selected: [A, B, 'athlete-7'], reported: [A, 'athlete-7'], dropped: [B], reason });

describe('abort reasons reach analysts and the live feed without client ids', () => {
  it('replaces participant ids, and anything shaped like an enrolled id', () => {
    expect(withoutClientIds(reason, ['athlete-7'])).toBe('secure aggregation aborted: fewer than 2 shares revealed for a client, a client; reconstructed mask of a client does not match its commitment');
    expect(withoutClientIds('only 2 idle opted-in clients, 3 needed', [])).toBe('only 2 idle opted-in clients, 3 needed');
  });

  it('GET /api/tasks/:task/rounds for an analyst', async () => {
    const app = await startAuthApp();
    try {
      app.store.commitRound(record(), null);
      const analyst = await call(app.url, 'GET', '/api/tasks/injury/rounds', { token: app.analystToken });
      expect(analyst.status).toBe(200);
      expect(analyst.json[0].reason).toMatch(/^secure aggregation aborted: fewer than 2 shares revealed for a client, a client/);
      expect(JSON.stringify(analyst.json)).not.toMatch(/cl_|athlete-7/);
    } finally {
      await app.close();
    }
  });

  it('the dashboard event stream', () => {
    let emit: (e: RoundEvent) => void = () => undefined;
    const stream = new RoundEventStream({ on: (l) => ((emit = l), () => undefined) });
    let written = '';
    const res = { writeHead: () => res, write: (chunk: string) => ((written += chunk), true), on: () => res, end: () => undefined } as unknown as ServerResponse;
    expect(stream.attach(res)).toBe(true);
    emit({ type: 'roundEnded', record: record() });
    stream.close();
    expect(written).toContain('event: roundEnded');
    expect(written).toContain('revealed for a client, a client');
    expect(written).not.toMatch(/cl_|athlete-7/);
  });
});
