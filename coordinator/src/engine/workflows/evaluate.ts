import type { TaskId } from '@huddle/shared/model';
import type { ClientMessage, MessageOf } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { Clock } from '../clock.ts';
import { Collector } from '../collector.ts';
import { aggregateEvaluation, type EvalOutcome } from '../evaluation.ts';
import type { RoundMetrics } from '../roundRecord.ts';
import type { WorkflowIo } from './workflow.ts';

export interface EvaluateOptions {
  task: TaskId;
  selected: ReadonlySet<string>;
  deadline: number;
  expected: 'binary' | 'regression';
  clock: Clock;
  io: WorkflowIo;
}

/** Federated evaluation of the new model: each client's summary, combined into round metrics. */
export class EvaluateWorkflow {
  readonly kind = 'evaluate';
  private readonly collector: Collector<EvalOutcome>;

  constructor(private readonly o: EvaluateOptions) {
    this.collector = new Collector(o.selected, o.selected.size, o.deadline, o.clock);
  }

  onEvaluateResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'evaluateResult'>): void {
    if (msg.summary.kind !== this.o.expected) {
      this.collector.drop(client.clientId);
      return this.o.io.reject(client.conn, 'malformed', `evaluation of ${this.o.task} must be a ${this.o.expected} summary`, msg.roundId);
    }
    if (msg.summary.kind === 'binary' && sum(msg.summary.positives) + sum(msg.summary.negatives) !== msg.numExamples) {
      this.collector.drop(client.clientId);
      return this.o.io.reject(client.conn, 'malformed', 'histogram counts do not add up to numExamples', msg.roundId);
    }
    const outcome = this.collector.accept(client.clientId, { numExamples: msg.numExamples, sumLoss: msg.sumLoss, summary: msg.summary });
    if (outcome !== 'accepted') this.o.io.reject(client.conn, 'unexpected', `evaluation for ${msg.roundId} not accepted: ${outcome}`, msg.roundId);
  }

  drop(clientId: string): void {
    this.collector.drop(clientId);
  }

  close(): void {
    this.collector.close();
  }

  async run(): Promise<RoundMetrics> {
    await this.collector.done;
    return aggregateEvaluation([...this.collector.replies.values()]);
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
