import { Prng } from '@huddle/shared/random';
import type { BlockOutcome } from './runBlock.ts';

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface PolicySummary {
  performanceGain: Interval;
  injuriesPer1000Days: Interval;
  daysLost: Interval;
  athletes: number;
  athleteDays: number;
  injuries: number;
}

/** Mean with a normal-approximation 95% interval over athletes. */
export function meanInterval(values: readonly number[], scale = 1): Interval {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const half = (1.96 * sd) / Math.sqrt(n);
  return { value: mean * scale, low: (mean - half) * scale, high: (mean + half) * scale };
}

export function summarize(outcomes: readonly BlockOutcome[]): PolicySummary {
  const days = outcomes[0]?.days ?? 0;
  return {
    performanceGain: meanInterval(outcomes.map((o) => o.performanceGain)),
    injuriesPer1000Days: meanInterval(outcomes.map((o) => o.injuries), 1000 / days),
    daysLost: meanInterval(outcomes.map((o) => o.daysLost)),
    athletes: outcomes.length,
    athleteDays: outcomes.length * days,
    injuries: outcomes.reduce((a, o) => a + o.injuries, 0),
  };
}

/**
 * Paired bootstrap (over athletes) 95% interval of a statistic of two policies' outcomes on the same athletes,
 * e.g. the relative injury reduction or the share of the static-to-oracle gap closed.
 */
export function pairedBootstrap(
  groups: readonly (readonly BlockOutcome[])[],
  stat: (means: { perf: number[]; injuries: number[] }) => number,
  resamples = 1000,
  seed = 7,
): Interval {
  const n = groups[0]!.length;
  const rng = new Prng(seed);
  const compute = (idx: ArrayLike<number>) => {
    const perf = groups.map(() => 0);
    const injuries = groups.map(() => 0);
    for (let k = 0; k < idx.length; k++) {
      groups.forEach((g, j) => {
        perf[j]! += g[idx[k]!]!.performanceGain / idx.length;
        injuries[j]! += g[idx[k]!]!.injuries / idx.length;
      });
    }
    return stat({ perf, injuries });
  };
  const value = compute(Array.from({ length: n }, (_, i) => i));
  const draws: number[] = [];
  const idx = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) idx[k] = rng.int(n);
    draws.push(compute(idx));
  }
  draws.sort((a, b) => a - b);
  return { value, low: draws[Math.floor(0.025 * resamples)]!, high: draws[Math.floor(0.975 * resamples)]! };
}
