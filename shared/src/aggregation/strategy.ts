import type { FitConfig } from '../protocol/schemas.ts';

/** One client's contribution to a round, after validation. */
export interface FitOutcome {
  clientId: string;
  numExamples: number;
  /** Clipped update: client weights minus the round's global weights. */
  update: Float32Array;
  trainLoss: number;
}

/**
 * How a round's updates become one update. Robust rules (median, trimmed mean) need each client's
 * update and so cannot run under secure aggregation, which only reveals the sum.
 */
export interface UpdateAggregator {
  readonly name: string;
  readonly needsIndividualUpdates: boolean;
  aggregate(outcomes: readonly FitOutcome[]): Float32Array;
}

/** Applies the aggregated update to the global model (server learning rate, momentum, Adam...). */
export interface ServerOptimizer {
  readonly name: string;
  step(global: Float32Array, update: Float32Array): Float32Array;
  /** JSON-serializable state, checkpointed with the model. */
  state(): unknown;
  restore(state: unknown): void;
}

/** What a round's clients taught, however it was collected (plain or secure sum). */
export interface FitStats {
  /** Clients whose update is in the sum. */
  reporters: number;
  /** Summed example count; 0 when withheld (secure aggregation under DP). */
  numExamples: number;
  /** Example-weighted mean train loss; NaN when withheld. */
  trainLoss: number;
  /** Adaptive clipping: how many reporters' unclipped norm was within the bound (noisy when the devices noised it). */
  clipBits: number;
  /** Std of the noise the devices already put on clipBits (distributed DP); absent or 0: the coordinator adds it. */
  clipBitNoiseStd?: number;
  /** Std of the DP noise on each coordinate of the mean update (central or distributed); absent or 0: none. */
  meanNoiseStd?: number;
}

/** One round's fit: the mean update is `sum / weight`. Both fit workflows return one of these. */
export interface FitAggregate {
  sum: Float32Array;
  weight: number;
  stats: FitStats;
}

/** Flower-style strategy: configure and aggregate, on the plain and on the secure path. */
export interface Strategy {
  readonly name: string;
  configureFit(round: number, base: FitConfig): FitConfig;
  readonly aggregator: UpdateAggregator;
  readonly optimizer: ServerOptimizer;
  /** Plain path: reduces validated individual updates to one sum and weight. */
  reduceFit(outcomes: readonly FitOutcome[]): { sum: Float32Array; weight: number };
  /** Both paths: the next global model from this round's aggregate. */
  aggregateFit(global: Float32Array, fit: FitAggregate): Float32Array;
}

/** The mean update of an aggregate. */
export function meanUpdate(fit: Pick<FitAggregate, 'sum' | 'weight'>): Float32Array {
  if (!(fit.weight > 0)) throw new Error('an aggregate needs a positive weight');
  return fit.weight === 1 ? fit.sum : fit.sum.map((v) => v / fit.weight);
}
