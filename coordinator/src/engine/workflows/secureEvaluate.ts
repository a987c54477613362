import { addCentralEvaluationNoise, decodeEvaluationSum, evaluationSecAggId, readEvaluationSums, type EvaluationKind } from '@huddle/shared/aggregation';
import type { RandomSource } from '@huddle/shared/privacy';
import type { TaskId } from '@huddle/shared/model';
import type { ClientMessage, MessageOf } from '@huddle/shared/protocol';
import { SecAggError } from '@huddle/shared/secagg';
import type { ConnectedClient } from '../clientRegistry.ts';
import { emptyEvaluation, evaluationOutcome, type EvaluationOutcome } from '../evaluation.ts';
import type { SecureFitRound } from './secAggSteps.ts';
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

  async run(): Promise<EvaluationOutcome> {
    const result = await this.steps.run();
    if (!result.ok) {
      this.failure = result.reason;
      this.o.logger.warn({ task: this.o.task, roundId: this.o.roundId, reason: result.reason }, 'secure evaluation learned nothing');
      return emptyEvaluation();
    }
    const decoded = decodeEvaluationSum(this.o.expected, result.sum, this.o.encoding, result.survivors.length);
    const noiseStd = this.o.noise === 'central' ? addCentralEvaluationNoise(this.o.expected, decoded.sum, this.o.noiseMultiplier, this.o.random) : decoded.noiseStd;
    return evaluationOutcome(readEvaluationSums(this.o.expected, decoded.sum, noiseStd), this.o.noise);
  }
}
