import { usesMedianStep, type ModelSettings } from '../settings.ts';
import { treeShape } from '../trees/treeLayout.ts';

/**
 * Rounds whose aggregates the median step reads together: this round's and the two before, each counted at the
 * iterate its clients saw. With clients drawn in passes these are 30 different clients' residual bucket counts
 * instead of 10 (docs/models.md, "recent rounds"); the coordinator learns nothing it did not already learn.
 */
export const MEDIAN_STEP_ROUNDS = 3;

/** How many recent aggregates the model's step reads: the median step's, or the rounds that build one tree level. */
export function stepRounds(settings: ModelSettings): number {
  if (settings.kind === 'trees') return treeShape(settings).levelRounds;
  return usesMedianStep(settings) ? MEDIAN_STEP_ROUNDS : 1;
}

/**
 * The last `rounds` aggregates (mean contributions). `add` records one and returns their mean, every round counting
 * equally (the plain, secure and cohort paths then agree: not all of them know a round's day count, e.g. under DP).
 */
export class RecentRounds {
  private readonly kept: Float32Array[] = [];

  constructor(private readonly rounds: number) {}

  /** The kept aggregates, oldest first, for a checkpoint (so a restarted coordinator or a new leader reads them too). */
  state(): number[][] {
    return this.kept.map((m) => Array.from(m));
  }

  /** Takes a checkpoint's aggregates back; only the last `rounds - 1` count, as the next `add` brings one more. */
  restore(state: readonly (readonly number[])[]): void {
    this.kept.length = 0;
    if (this.rounds <= 1) return;
    for (const m of state.slice(-(this.rounds - 1))) this.kept.push(Float32Array.from(m));
  }

  add(mean: Float32Array): Float32Array {
    if (this.rounds <= 1) return mean;
    if (this.kept.length > 0 && this.kept[0]!.length !== mean.length) this.kept.length = 0;
    this.kept.push(mean);
    if (this.kept.length > this.rounds) this.kept.shift();
    if (this.kept.length === 1) return mean;
    const out = new Float64Array(mean.length);
    for (const m of this.kept) for (let i = 0; i < m.length; i++) out[i]! += m[i]!;
    return Float32Array.from(out, (v) => v / this.kept.length);
  }
}
