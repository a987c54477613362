import type { FitOutcome } from '@huddle/shared/aggregation';
import type { RunningSum } from '../engine/workflows/plainFit.ts';

/**
 * A cohort's weighted sum, added up as updates are accepted (float64, in acceptance order): a node holds
 * one vector for its cohort instead of every member's update until the cohort closes.
 */
export class CohortRunningSum implements RunningSum {
  private acc: Float64Array | null = null;
  private weight = 0;

  constructor(private readonly weighting: 'examples' | 'uniform') {}

  add(o: FitOutcome): void {
    const acc = (this.acc ??= new Float64Array(o.update.length));
    if (o.update.length !== acc.length) throw new Error(`update of ${o.update.length} values in a sum of ${acc.length}`);
    const w = this.weighting === 'examples' ? o.numExamples : 1;
    this.weight += w;
    for (let i = 0; i < acc.length; i++) acc[i]! += w * o.update[i]!;
  }

  result(): { sum: Float32Array; weight: number } {
    return { sum: Float32Array.from(this.acc ?? []), weight: this.weight };
  }
}
