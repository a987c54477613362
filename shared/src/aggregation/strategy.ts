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

/** Flower-style strategy: configure and aggregate, for fit and for evaluate. */
export interface Strategy {
  readonly name: string;
  configureFit(round: number, base: FitConfig): FitConfig;
  readonly aggregator: UpdateAggregator;
  readonly optimizer: ServerOptimizer;
}
