import { addCentralPriorNoise, decodePriorSum, priorSecAggId, twinMomentProblem } from '@huddle/shared/aggregation';
import type { RandomSource } from '@huddle/shared/privacy';
import type { ClientMessage, MessageOf } from '@huddle/shared/protocol';
import { SecAggError } from '@huddle/shared/secagg';
import { addMoments, MOMENT_LENGTH } from '@huddle/shared/twin';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { SecureFitRound } from '../workflows/secAggSteps.ts';
import { secAggStepsFor, type SecureWorkflowOptions } from '../workflows/secureWorkflowOptions.ts';
import { PlainReplies, type PlainStepOptions } from '../workflows/plainReplies.ts';

/**
 * What a prior round learned: the summed moment vectors (noised under DP) and who they came from. `released` on
 * failure, as for a fit (workflow.ts): whether anything computed from the devices' vectors may have been released.
 */
export type PriorSumResult =
  | { ok: true; sum: Float64Array; noiseStd: Float64Array; reported: string[] }
  | { ok: false; reason: string; reported: string[]; released: boolean };

export interface PlainPriorOptions extends PlainStepOptions {
  roundId: string;
  minClients: number;
}

/**
 * The prior's moments sent in plaintext (no secure aggregation): each vector is checked against its bounds and a
 * vector outside them is refused with the reason while the round carries on; the sum is noised under central DP.
 */
export class PlainPriorWorkflow {
  readonly kind = 'plainPrior';
  private readonly replies: PlainReplies<Float64Array>;

  constructor(private readonly o: PlainPriorOptions) {
    this.replies = PlainReplies.everySelected(o, 'twin-prior contribution');
  }

  onStatisticResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'statisticResult'>): void {
    const problem = twinMomentProblem(msg.values);
    if (problem !== null) return this.replies.refuse(client, 'malformed', problem, msg.roundId);
    this.replies.take(client, Float64Array.from(msg.values), msg.roundId);
  }

  drop(clientId: string): void {
    this.replies.drop(clientId);
  }

  close(): void {
    this.replies.close();
  }

  async run(): Promise<PriorSumResult> {
    const { done, replies } = this.replies.collector;
    await done;
    const reported = [...replies.keys()];
    if (reported.length < this.o.minClients) return { ok: false, reason: `${reported.length} contributions arrived, ${this.o.minClients} needed`, reported, released: false };
    const sum = addMoments([...replies.values()]);
    const noise = this.o.centralNoise;
    const noiseStd = noise ? addCentralPriorNoise(sum, noise.noiseMultiplier, noise.random) : new Float64Array(MOMENT_LENGTH);
    return { ok: true, sum, noiseStd, reported };
  }
}

export interface SecurePriorOptions extends SecureWorkflowOptions {
  /** distributed: the devices noised their inputs (sized in `encoding`); central: the coordinator noises the sum. */
  noise: 'none' | 'central' | 'distributed';
  noiseMultiplier: number;
  random: RandomSource;
}

/** The prior's moments through the SecAgg steps: the coordinator learns only the survivors' sum. */
export class SecurePriorWorkflow {
  readonly kind = 'securePrior';
  private readonly steps: SecureFitRound;

  constructor(private readonly o: SecurePriorOptions) {
    this.steps = secAggStepsFor(o, priorSecAggId(o.roundId), o.selected.size);
  }

  async onSecAgg(client: ConnectedClient, msg: MessageOf<ClientMessage, 'secagg'>): Promise<void> {
    try {
      await this.steps.accept(client.clientId, msg.payload);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (err instanceof SecAggError && err.code === 'INVALID_STATE' && msg.payload.kind === 'secagg/advertise-keys') return;
      this.o.io.reject(client.conn, 'bad-update', `secure twin-prior message refused: ${text}`, msg.roundId);
    }
  }

  drop(clientId: string): void {
    this.steps.drop(clientId);
  }

  close(): void {
    // The step collectors close when run() ends.
  }

  async run(): Promise<PriorSumResult> {
    const result = await this.steps.run();
    if (!result.ok) return { ok: false, reason: result.reason, reported: result.survivors, released: result.released };
    const decoded = decodePriorSum(result.sum, this.o.encoding, result.survivors.length);
    const noiseStd = this.o.noise === 'central' ? addCentralPriorNoise(decoded.sum, this.o.noiseMultiplier, this.o.random) : decoded.noiseStd;
    return { ok: true, sum: decoded.sum, noiseStd, reported: result.survivors };
  }
}
