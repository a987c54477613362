import type { FitOutcome, Strategy } from '@huddle/shared/aggregation';
import { decodeWeights, decodeWeightsView, parameterCount, type WeightEntry } from '@huddle/shared/modelCore';
import { l2Norm } from '@huddle/shared/privacy';
import type { ClientMessage, MessageOf } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';
import { PlainReplies, type PlainStepOptions } from './plainReplies.ts';
import type { FitWorkflowResult } from './workflow.ts';

export interface PlainFitOptions extends Omit<PlainStepOptions, 'centralNoise'> {
  roundId: string;
  /** Updates to wait for (clientsPerRound); over-selected extras beyond it are discarded. */
  target: number;
  minClients: number;
  /** This round's L2 clip bound: larger updates are refused. */
  clip: number;
  manifest: WeightEntry[];
  /**
   * Reduces the accepted updates (a DP wrapper weighs every client the same), or sums them as they are
   * accepted (`running`: a cohort's sum), so that no update is kept until the round closes.
   */
  strategy: Pick<Strategy, 'reduceFit'> | { running: RunningSum };
  onAccepted(reported: number): void;
}

/** A sum that takes each accepted update once, in the order they were accepted. */
export interface RunningSum {
  /** Adds the update and keeps none of it: `outcome.update` may be a view over the received frame (decodeWeightsView). */
  add(outcome: FitOutcome): void;
  result(): { sum: Float32Array; weight: number };
}

type Accepted = FitOutcome & { clipBit: 0 | 1 | null };

const SUMMED = new Float32Array(0);

/** Fit with each client's update visible to the coordinator: validated one by one, reduced by the strategy. */
export class PlainFitWorkflow {
  readonly kind = 'plainFit';
  private readonly replies: PlainReplies<Accepted>;
  /**
   * Where a running sum's unaligned updates are decoded: it is done with each before the next arrives, so it decodes
   * with decodeWeightsView. Undefined when the strategy reduces the kept updates at the end: each is an owned copy.
   */
  private readonly scratch: Float32Array | undefined;

  constructor(private readonly o: PlainFitOptions) {
    this.replies = new PlainReplies('update', o.io, o.selected, o.target, o.deadline, o.clock);
    this.scratch = 'running' in o.strategy ? new Float32Array(parameterCount(o.manifest)) : undefined;
  }

  get collecting(): boolean {
    return !this.replies.collector.isClosed;
  }

  onFitResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'fitResult'>): void {
    let update: Float32Array;
    try {
      update = this.scratch ? decodeWeightsView(msg.update, this.o.manifest, this.scratch) : decodeWeights(msg.update, this.o.manifest);
    } catch (err) {
      return this.replies.refuse(client, 'bad-update', (err as Error).message, msg.roundId);
    }
    const norm = l2Norm(update);
    if (norm > this.o.clip * (1 + 1e-4)) return this.replies.refuse(client, 'bad-update', `L2 norm ${norm.toFixed(4)} exceeds the clip bound ${this.o.clip}`, msg.roundId);
    const running = 'running' in this.o.strategy ? this.o.strategy.running : null;
    const accepted = { clientId: client.clientId, numExamples: msg.numExamples, update, trainLoss: msg.trainLoss, clipBit: msg.clipBit };
    if (!this.replies.take(client, running ? { ...accepted, update: SUMMED } : accepted, msg.roundId)) return;
    running?.add(accepted);
    this.o.onAccepted(this.replies.collector.replies.size);
  }

  drop(clientId: string): void {
    this.replies.drop(clientId);
  }

  close(): void {
    this.replies.close();
  }

  async run(): Promise<FitWorkflowResult> {
    const { done, replies } = this.replies.collector;
    await done;
    const outcomes = [...replies.values()];
    const reported = outcomes.map((o) => o.clientId);
    if (outcomes.length < this.o.minClients) return { ok: false, reason: `${outcomes.length} updates by the deadline, ${this.o.minClients} needed`, reported, released: false };
    const numExamples = outcomes.reduce((s, o) => s + o.numExamples, 0);
    const trainLoss = outcomes.reduce((s, o) => s + o.trainLoss * o.numExamples, 0) / numExamples;
    const clipBits = outcomes.reduce((s, o) => s + (o.clipBit ?? 0), 0);
    const { sum, weight } = 'running' in this.o.strategy ? this.o.strategy.running.result() : this.o.strategy.reduceFit(outcomes);
    return { ok: true, reported, fit: { sum, weight, stats: { reporters: outcomes.length, numExamples, trainLoss, clipBits } } };
  }
}
