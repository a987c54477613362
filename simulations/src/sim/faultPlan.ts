import { hashString, Prng } from '@huddle/shared/random';
import type { TaskId } from '@huddle/shared/model';
import { sampleDelayMs, type StragglerModel } from './stragglers.ts';

export interface FaultPlanOptions {
  seed: number;
  /** Probability that a selected client silently never answers its fit request. */
  dropout: number;
  stragglers: StragglerModel;
  /** When false, clients ignore evaluate requests (the simulator evaluates centrally instead). */
  federatedEval: boolean;
}

/**
 * Every random fault as a pure function of (seed, client, task, round): draws do not depend on the
 * order in which messages happen to arrive, nor on the engine's random round ids.
 */
export class FaultPlan {
  constructor(readonly options: FaultPlanOptions) {}

  private rng(what: string, clientId: string, task: TaskId, round: number): Prng {
    return new Prng(hashString(`${this.options.seed}|${what}|${task}|${round}|${clientId}`));
  }

  dropsFit(clientId: string, task: TaskId, round: number): boolean {
    return this.options.dropout > 0 && this.rng('dropout', clientId, task, round).next() < this.options.dropout;
  }

  answersEvaluate(): boolean {
    return this.options.federatedEval;
  }

  fitDelayMs(clientId: string, task: TaskId, round: number): number {
    return sampleDelayMs(this.options.stragglers, this.rng('delay', clientId, task, round));
  }

  /** Orders replies due at the same virtual instant. */
  tiebreak(clientId: string, task: TaskId, round: number): number {
    return this.rng('order', clientId, task, round).nextUint32();
  }
}
