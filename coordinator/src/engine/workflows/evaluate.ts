import { addCentralEvaluationNoise, evaluationVectorFromResult, evaluationVectorProblem, readEvaluationSums, sumEvaluationVectors, type EvaluationKind } from '@huddle/shared/aggregation';
import type { TaskId } from '@huddle/shared/model';
import type { RandomSource } from '@huddle/shared/privacy';
import { sameVersion, type ClientMessage, type MessageOf, type ModelVersion } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { Clock } from '../clock.ts';
import { Collector } from '../collector.ts';
import { evaluationOutcome, type EvaluationOutcome } from '../evaluation.ts';
import type { WorkflowIo } from './workflow.ts';

export interface EvaluateOptions {
  task: TaskId;
  selected: ReadonlySet<string>;
  deadline: number;
  expected: EvaluationKind;
  /** The candidate model evaluated. */
  model: ModelVersion;
  /** Central DP: the coordinator adds Gaussian noise of z x clip to the summed vector; null = no noise. */
  centralNoise: { noiseMultiplier: number; random: RandomSource } | null;
  clock: Clock;
  io: WorkflowIo;
}

/**
 * Federated evaluation with each client's evaluation vector visible to the coordinator (no secure aggregation):
 * validated one by one, summed, noised under central DP. Only the sum's figures are kept.
 */
export class EvaluateWorkflow {
  readonly kind = 'evaluate';
  private readonly collector: Collector<Float64Array>;

  constructor(private readonly o: EvaluateOptions) {
    this.collector = new Collector(o.selected, o.selected.size, o.deadline, o.clock);
  }

  onEvaluateResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'evaluateResult'>): void {
    const vector = evaluationVectorFromResult(this.o.expected, msg);
    const problem = typeof vector === 'string' ? vector : evaluationVectorProblem(this.o.expected, vector);
    if (problem !== null || typeof vector === 'string') {
      this.collector.drop(client.clientId);
      return this.o.io.reject(client.conn, 'malformed', `evaluation of ${this.o.task} refused: ${problem}`, msg.roundId);
    }
    const outcome = this.collector.accept(client.clientId, vector);
    if (outcome !== 'accepted') return this.o.io.reject(client.conn, 'unexpected', `evaluation for ${msg.roundId} not accepted: ${outcome}`, msg.roundId);
    // The client now holds the candidate; the next round's fit request need not carry it.
    if (msg.model && sameVersion(msg.model, this.o.model)) client.models.set(this.o.task, this.o.model);
  }

  drop(clientId: string): void {
    this.collector.drop(clientId);
  }

  close(): void {
    this.collector.close();
  }

  /** The evaluators' summed vector, unnoised (a cohort's node sends it to the leader, which noises the total). */
  async sum(): Promise<{ reported: string[]; sum: Float64Array }> {
    await this.collector.done;
    return { reported: [...this.collector.replies.keys()], sum: sumEvaluationVectors(this.o.expected, [...this.collector.replies.values()]) };
  }

  async run(): Promise<EvaluationOutcome> {
    return plainEvaluationOutcome(this.o.expected, (await this.sum()).sum, this.o.centralNoise);
  }
}

/** The round's evaluation from the summed plain vector (one node's, or every cohort's together): noised under central DP, read. */
export function plainEvaluationOutcome(expected: EvaluationKind, sum: Float64Array, noise: EvaluateOptions['centralNoise']): EvaluationOutcome {
  const noiseStd = noise ? addCentralEvaluationNoise(expected, sum, noise.noiseMultiplier, noise.random) : undefined;
  return evaluationOutcome(readEvaluationSums(expected, sum, noiseStd), noise ? 'central' : 'none');
}
