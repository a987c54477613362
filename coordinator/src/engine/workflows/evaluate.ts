import { addCentralEvaluationNoise, evaluationVectorFromResult, evaluationVectorProblem, readEvaluationSums, sumEvaluationVectors, type EvaluationKind } from '@huddle/shared/aggregation';
import type { TaskId } from '@huddle/shared/model';
import { sameVersion, type ClientMessage, type MessageOf, type ModelVersion } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';
import { evaluationOutcome, type EvaluationOutcome } from '../evaluation.ts';
import { PlainReplies, type CentralNoise, type PlainStepOptions } from './plainReplies.ts';

export interface EvaluateOptions extends PlainStepOptions {
  task: TaskId;
  expected: EvaluationKind;
  /** The candidate model evaluated. */
  model: ModelVersion;
}

/**
 * Federated evaluation with each client's evaluation vector visible to the coordinator (no secure aggregation):
 * validated one by one, summed, noised under central DP. Only the sum's figures are kept.
 */
export class EvaluateWorkflow {
  readonly kind = 'evaluate';
  private readonly replies: PlainReplies<Float64Array>;

  constructor(private readonly o: EvaluateOptions) {
    this.replies = PlainReplies.everySelected(o, `evaluation of ${o.task}`);
  }

  onEvaluateResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'evaluateResult'>): void {
    const vector = evaluationVectorFromResult(this.o.expected, msg);
    const problem = typeof vector === 'string' ? vector : evaluationVectorProblem(this.o.expected, vector);
    if (problem !== null || typeof vector === 'string') return this.replies.refuse(client, 'malformed', String(problem), msg.roundId);
    if (!this.replies.take(client, vector, msg.roundId)) return;
    // The client now holds the candidate; the next round's fit request need not carry it.
    if (msg.model && sameVersion(msg.model, this.o.model)) client.models[this.o.task] = this.o.model;
  }

  drop(clientId: string): void {
    this.replies.drop(clientId);
  }

  close(): void {
    this.replies.close();
  }

  /** The evaluators' summed vector, unnoised (a cohort's node sends it to the leader, which noises the total). */
  async sum(): Promise<{ reported: string[]; sum: Float64Array }> {
    const { done, replies } = this.replies.collector;
    await done;
    return { reported: [...replies.keys()], sum: sumEvaluationVectors(this.o.expected, [...replies.values()]) };
  }

  async run(): Promise<EvaluationOutcome> {
    return plainEvaluationOutcome(this.o.expected, (await this.sum()).sum, this.o.centralNoise);
  }
}

/** The round's evaluation from the summed plain vector (one node's, or every cohort's together): noised under central DP, read. */
export function plainEvaluationOutcome(expected: EvaluationKind, sum: Float64Array, noise: CentralNoise): EvaluationOutcome {
  const noiseStd = noise ? addCentralEvaluationNoise(expected, sum, noise.noiseMultiplier, noise.random) : undefined;
  return evaluationOutcome(readEvaluationSums(expected, sum, noiseStd), noise ? 'central' : 'none');
}
