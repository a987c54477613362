import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type V8Gc = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void | Promise<void>;

let cached: V8Gc | null | undefined;

/** V8's own gc(), reached without a command-line flag; null where the runtime refuses. */
export function v8Gc(): V8Gc | null {
  if (cached !== undefined) return cached;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    cached = typeof gc === 'function' ? (gc as V8Gc) : null;
  } catch {
    cached = null;
  }
  return cached;
}

export interface HeapCompaction {
  ms: number;
  heapUsedMbBefore: number;
  heapUsedMbAfter: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * Two synchronous full collections, as V8 does on a low-memory notification: the first frees what is dead, the
 * second lets V8 size the heap to what is left. A node calls this between bursts (before a round opens), where the
 * join burst's promoted garbage would otherwise become the round's baseline. Blocks the event loop: about 60 ms per
 * collection for a leader holding 10,000 clients (docs/load-bench.md, session 13). Null where gc() is unavailable.
 *
 * Only gc() without options: in Node 20 a synchronous `gc({ type: 'major' })` freed nothing in our measurements (why
 * was not established); coordinator/test/heapCompaction.test.ts fails with it.
 */
export function compactHeap(): HeapCompaction | null {
  const gc = v8Gc();
  if (!gc) return null;
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  gc();
  gc();
  return { ms: Math.round(performance.now() - t0), heapUsedMbBefore: mb(before), heapUsedMbAfter: mb(process.memoryUsage().heapUsed) };
}
