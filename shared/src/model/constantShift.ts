import type { ModelSettings } from './settings.ts';

/** The constant c minimizing sum loss(residual - c) (non-empty residuals). */
export function constantShift(settings: Pick<ModelSettings, 'loss' | 'huberDelta'>, residuals: Float64Array): number {
  const sorted = Float64Array.from(residuals).sort();
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  if (settings.loss === 'absolute') return median;
  if (settings.loss === 'squared') return sorted.reduce((t, r) => t + r, 0) / n;
  // Huber: fixed-point iteration from the median (each step moves c by the mean clipped residual).
  const d = settings.huberDelta;
  let c = median;
  for (let it = 0; it < 50; it++) {
    let step = 0;
    for (const r of sorted) step += Math.max(-d, Math.min(d, r - c));
    step /= n;
    c += step;
    if (Math.abs(step) < 1e-9) break;
  }
  return c;
}
