import type { MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startSideJob } from '../src/ops/sideThread.ts';

const next = (port: MessagePort) =>
  new Promise<unknown>((resolve) => {
    port.once('message', resolve);
    port.ref();
  });

describe('the side thread (every PostgreSQL connection and the presence refresher of a process)', () => {
  it('runs several jobs on one thread, each on its own port; a job that fails to start fails alone', async () => {
    const echo = 'port.on("message", (m) => port.postMessage({ from: data.name, m, thread: require("node:worker_threads").threadId }));';
    const a = startSideJob('echo', echo, { name: 'a' });
    const b = startSideJob('echo', echo, { name: 'b' });
    const bad = startSideJob('bad', 'throw new Error("boom")', {});
    try {
      const failed = next(bad.port);
      const fromA = next(a.port);
      const fromB = next(b.port);
      a.port.postMessage(1);
      b.port.postMessage(2);
      expect(await failed).toMatchObject({ ok: false, message: expect.stringContaining('boom') });
      const [ra, rb] = (await Promise.all([fromA, fromB])) as { from: string; m: number; thread: number }[];
      expect([ra!.from, ra!.m, rb!.from, rb!.m]).toEqual(['a', 1, 'b', 2]);
      expect(ra!.thread).toBe(rb!.thread);
      expect(ra!.thread).not.toBe(0);
    } finally {
      for (const j of [a, b, bad]) {
        j.port.close();
        j.end();
      }
    }
  });
});
