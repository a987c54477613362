import type { RandomSource } from '@huddle/shared/privacy';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { Clock } from '../clock.ts';
import { Collector } from '../collector.ts';
import type { WorkflowIo } from './workflow.ts';

/** Central DP: the coordinator adds Gaussian noise of z x clip to a plain sum; null = no noise. */
export type CentralNoise = { noiseMultiplier: number; random: RandomSource } | null;

/** What every plain (no secure aggregation) step of a round is given. */
export interface PlainStepOptions {
  selected: ReadonlySet<string>;
  deadline: number;
  centralNoise: CentralNoise;
  clock: Clock;
  io: WorkflowIo;
}

/**
 * One plaintext reply per selected client, each validated by its workflow first: a refused reply drops its client
 * and tells it why, while the round carries on with the others.
 */
export class PlainReplies<T> {
  readonly collector: Collector<T>;

  constructor(
    private readonly what: string,
    private readonly io: WorkflowIo,
    selected: ReadonlySet<string>,
    target: number,
    deadline: number,
    clock: Clock,
  ) {
    this.collector = new Collector(selected, target, deadline, clock);
  }

  /** Waits for a reply from every selected client (or the deadline). */
  static everySelected<T>(o: Omit<PlainStepOptions, 'centralNoise'>, what: string): PlainReplies<T> {
    return new PlainReplies<T>(what, o.io, o.selected, o.selected.size, o.deadline, o.clock);
  }

  refuse(client: ConnectedClient, code: 'malformed' | 'bad-update', problem: string, roundId: string): void {
    this.collector.drop(client.clientId);
    this.io.reject(client.conn, code, `${this.what} refused: ${problem}`, roundId);
  }

  /** Accepts the reply; false (and the client told why) when it came late, twice or from a client not selected. */
  take(client: ConnectedClient, value: T, roundId: string): boolean {
    const outcome = this.collector.accept(client.clientId, value);
    if (outcome === 'accepted') return true;
    this.io.reject(client.conn, 'unexpected', `${this.what} for ${roundId} not accepted: ${outcome}`, roundId);
    return false;
  }

  drop(clientId: string): void {
    this.collector.drop(clientId);
  }

  close(): void {
    this.collector.close();
  }
}
