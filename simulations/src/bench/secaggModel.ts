import { tfjsTrainer, trainFast, type LocalTrainer } from '@huddle/shared/model';
import type { TrainingData } from '@huddle/shared/model';

export interface TimedTrainer extends LocalTrainer {
  /** Milliseconds spent inside training since the last reset, and how many calls. */
  readonly stats: { ms: number; calls: number; examples: number };
  reset(): void;
}

/**
 * fastTrainer (trainFast, 'auto' kernels) on the athlete's real features (the product's 30 columns) tiled to the model's F input columns, on the
 * first `days` labelled days: one client's local training at the benchmark's model size. Widened inputs are cached
 * per client (they depend only on the log), so only training itself is timed.
 */
export function widenedTrainer(days: number, kernel: 'fast' | 'tfjs' = 'fast'): TimedTrainer {
  const cache = new WeakMap<Float32Array, TrainingData>();
  const stats = { ms: 0, calls: 0, examples: 0 };
  const widen = (data: TrainingData, f: number): TrainingData => {
    const hit = cache.get(data.x);
    if (hit && hit.x.length === Math.min(days, data.n) * f) return hit;
    const n = Math.min(days, data.n);
    const base = n > 0 ? data.x.length / data.n : 0;
    const x = new Float32Array(n * f);
    for (let r = 0; r < n; r++) for (let c = 0; c < f; c++) x[r * f + c] = data.x[r * base + (c % base)]!;
    const out = { x, y: data.y.slice(0, n), n };
    cache.set(data.x, out);
    return out;
  };
  return {
    stats,
    reset() {
      stats.ms = 0;
      stats.calls = 0;
      stats.examples = 0;
    },
    async train(spec, init, data, config) {
      const wide = widen(data, spec.inputSize);
      if (kernel === 'tfjs') {
        // tfjs training awaits, so other clients' work interleaves: its wall time is not this client's alone.
        stats.ms = Number.NaN;
        stats.calls++;
        stats.examples += wide.n * config.epochs;
        return tfjsTrainer.train(spec, init, wide, config);
      }
      const t0 = performance.now();
      // fastTrainer is `async (...) => trainFast(...)`: call the synchronous core so other clients' work, which runs
      // while this call's promise settles, is not counted as this client's training.
      const result = trainFast(spec, init, wide, config);
      stats.ms += performance.now() - t0;
      stats.calls++;
      stats.examples += wide.n * config.epochs;
      return result;
    },
  };
}
