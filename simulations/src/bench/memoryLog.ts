import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { mb } from './loadTask.ts';

/** One `process.memoryUsage()` in MB: RSS, V8 heap used and total, external (Buffers included), ArrayBuffers. */
export interface MemoryMb {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The MB V8 committed to each heap space (new_space, old_space, large_object_space, ...): what heapTotal is made of. */
  spaces: Record<string, number>;
  /** When it was read (epoch ms). */
  at: number;
}

export function memoryMb(): MemoryMb {
  const m = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), spaces, at: Date.now() };
}

/**
 * A bench node's memory at named steps (start, joined, round peak, after the round), and the breakdown at its peak
 * RSS. HUDDLE_BENCH_HEAP=DIR also writes a V8 heap snapshot at each step but the last (`DIR/<node>-<step>.heapsnapshot`, and 'busy' the
 * first time ArrayBuffers pass 50 MB; taking one stops the process for seconds, so a run with it does not measure time).
 */
export class MemoryLog {
  readonly steps: Record<string, MemoryMb> = {};
  peak: MemoryMb = memoryMb();
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly node: string) {
    // With HUDDLE_BENCH_HEAP, one more snapshot ('busy') the first time ArrayBuffers pass 50 MB (mid-round).
    let busy = !process.env.HUDDLE_BENCH_HEAP;
    this.sampler = setInterval(() => {
      const rss = mb(process.memoryUsage.rss());
      if (rss > this.peak.rss) this.peak = memoryMb();
      if (!busy && process.memoryUsage().arrayBuffers > 50 * 2 ** 20) {
        busy = true;
        this.note('busy');
      }
    }, 20);
  }

  note(step: string, snapshot = true): MemoryMb {
    const m = (this.steps[step] = memoryMb());
    const dir = process.env.HUDDLE_BENCH_HEAP;
    if (dir && snapshot) writeHeapSnapshot(join(dir, `${this.node}-${step}.heapsnapshot`));
    return m;
  }

  stop(): void {
    clearInterval(this.sampler);
  }
}
