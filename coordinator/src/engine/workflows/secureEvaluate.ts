import { addCentralEvaluationNoise, decodeEvaluationSum, evaluationSecAggId, readEvaluationSums, type EvaluationKind } from '@huddle/shared/aggregation';
import type { RandomSource } from '@huddle/shared/privacy';
import type { TaskId } from '@huddle/shared/model';
import type { ClientMessage, MessageOf } from '@huddle/shared/protocol';
import { SecAggError } from '@huddle/shared/secagg';
import type { ConnectedClient } from '../clientRegistry.ts';
import { emptyEvaluation, evaluationOutcome, type EvaluationOutcome } from '../evaluation.ts';
import type { SecureFitResult, SecureFitRound } from './secAggSteps.ts';
import { secAggStepsFor, type SecureWorkflowOptions } from './secureWorkflowOptions.ts';

export interface SecureEvaluateOptions extends SecureWorkflowOptions {
  task: TaskId;
  expected: EvaluationKind;
  /** distributed: the devices noised their inputs (sized in `encoding`); central: the coordinator noises the decoded sum. */
  noise: 'none' | 'central' | 'distributed';
  noiseMultiplier: number;
  random: RandomSource;
}

/**
 * Federated evaluation under secure aggregation: every evaluator's evaluation vector goes through the same SecAgg
 * steps and codec as weight updates (noised on the devices under distributed DP); the coordinator learns only the sum.
 */
export class SecureEvaluateWorkflow {
  readonly kind = 'secureEvaluate';
  private readonly steps: SecureFitRound;
  /** Why the sum was not learned, when it was not. */
  failure: string | null = null;

  constructor(private readonly o: SecureEvaluateOptions) {
    this.steps = secAggStepsFor(o, evaluationSecAggId(o.roundId), o.selected.size);
  }

  async onSecAgg(client: ConnectedClient, msg: MessageOf<ClientMessage, 'secagg'>): Promise<void> {
    try {
      await this.steps.accept(client.clientId, msg.payload);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      if (err instanceof SecAggError && err.code === 'INVALID_STATE' && msg.payload.kind === 'secagg/advertise-keys') {
        this.o.logger.debug({ client: client.clientId, roundId: msg.roundId }, 'late evaluation keys ignored');
        return;
      }
      this.o.io.reject(client.conn, 'bad-update', `secure evaluation message refused: ${text}`, msg.roundId);
    }
  }

  drop(clientId: string): void {
    this.steps.drop(clientId);
  }

  close(): void {
    // The step collectors close when run() ends.
  }

  /** The survivors' unmasked integer sum, undecoded (a cohort's node sends it to the leader, which decodes the total). */
  sum(): Promise<SecureFitResult> {
    return this.steps.run();
  }

  async run(): Promise<EvaluationOutcome> {
    const result = await this.sum();
    if (!result.ok) {
      this.failure = result.reason;
      this.o.logger.warn({ task: this.o.task, roundId: this.o.roundId, reason: result.reason }, 'secure evaluation learned nothing');
      return emptyEvaluation();
    }
    return secureEvaluationOutcome(this.o, result.sum, result.survivors.length);
  }
}

/** The round's evaluation from the survivors' unmasked sum (one SecAgg instance's, or every cohort's added): decoded, noised centrally if so planned, read. */
export function secureEvaluationOutcome(o: Pick<SecureEvaluateOptions, 'expected' | 'encoding' | 'noise' | 'noiseMultiplier' | 'random'>, sum: Uint32Array, survivors: number): EvaluationOutcome {
  const decoded = decodeEvaluationSum(o.expected, sum, o.encoding, survivors);
  const noiseStd = o.noise === 'central' ? addCentralEvaluationNoise(o.expected, decoded.sum, o.noiseMultiplier, o.random) : decoded.noiseStd;
  return evaluationOutcome(readEvaluationSums(o.expected, decoded.sum, noiseStd), o.noise);
}
