import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { startSideJob } from '../ops/sideThread.ts';
import { PRESENCE_JOB_SOURCE } from './presenceJobSource.ts';

/** How long a node's presence key lives after its last refresh (three missed refreshes and a half). */
export const PRESENCE_TTL_MS = 6_500;

/** Redis key whose existence says a node's process is alive (it expires `ttlMs` after the last refresh). */
export const presenceKey = (cluster: string, node: string): string => `huddle:${cluster}:presence:${node}`;

export interface NodePresence {
  /** Resolves once the key was first set (or after `readyTimeoutMs`, when Redis is slow to answer). */
  readonly ready: Promise<void>;
  /** Clean stop: the key is deleted, so the leader drops this node's cohort at once. */
  leave(): Promise<void>;
  /** As a crash: the key is left to expire. */
  kill(): Promise<void>;
}

/** Refreshes this node's presence key every `everyMs` from the process's side thread (its own event loop). */
export function startPresence(o: { redisUrl: string; key: string; ttlMs: number; everyMs?: number; onError?: (message: string) => void }): NodePresence {
  const ioredisPath = createRequire(import.meta.url).resolve('ioredis');
  const job = startSideJob('presence', PRESENCE_JOB_SOURCE, { url: o.redisUrl, key: o.key, ttlMs: o.ttlMs, everyMs: o.everyMs ?? 1_000, ioredisPath }, o.onError ? { onError: o.onError } : {});
  const answer = (what: string, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      const listener = (m: unknown) => {
        if (m !== what) return;
        clearTimeout(timer);
        job.port.off('message', listener);
        resolve();
      };
      job.port.on('message', listener);
      job.port.unref();
    });
  const ready = answer('present', 10_000);
  job.port.on('message', (m: unknown) => {
    if (typeof m === 'object' && m !== null && (m as { ok?: unknown }).ok === false) o.onError?.(String((m as { message?: unknown }).message));
  });
  job.port.unref();
  let stopped: Promise<void> | null = null;
  const stop = (how: 'leave' | 'kill'): Promise<void> => {
    const done = how === 'leave' ? answer('left', 2_000) : Promise.resolve();
    job.port.postMessage(how);
    return done.then(() => {
      job.port.close();
      job.end();
    });
  };
  return {
    ready,
    leave: () => (stopped ??= stop('leave')),
    kill: () => (stopped ??= stop('kill')),
  };
}

/**
 * The leader's view of which nodes are alive: it reads their presence keys every `everyMs` (on the
 * publishing connection, whose answers do not queue behind the pub/sub backlog) and judges from Redis's
 * clock, not its own. A leader whose event loop was blocked therefore never mistakes its own stall for
 * silence of the others; and it never judges its own node, which is running the check.
 */
export class PresenceWatch {
  /** Consecutive answers in which each watched node's key was missing. */
  private readonly missing = new Map<string, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  private polling = false;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (node: string) => string,
    private readonly self: string,
    everyMs = 500,
  ) {
    this.timer = setInterval(() => void this.poll(), everyMs);
    this.timer.unref();
  }

  /**
   * False once a node's key was missing in two answers in a row (one answer may race a Redis restart,
   * after which every node sets its key again within a second). A node asked about for the first time is
   * alive until an answer says otherwise.
   */
  alive(node: string): boolean {
    if (node === this.self) return true;
    const missing = this.missing.get(node);
    if (missing === undefined) {
      this.missing.set(node, 0);
      void this.poll();
      return true;
    }
    return missing < 2;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.missing.size === 0) return;
    this.polling = true;
    try {
      const nodes = [...this.missing.keys()];
      const values = await this.redis.mget(nodes.map(this.keyOf));
      nodes.forEach((node, i) => this.missing.set(node, values[i] === null ? this.missing.get(node)! + 1 : 0));
    } catch {
      // Redis away: no answer is no evidence either way; the round's hard stop bounds the wait.
    } finally {
      this.polling = false;
    }
  }
}
