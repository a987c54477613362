import { evaluationSecAggId } from '@huddle/shared/aggregation';
import type { TaskId } from '@huddle/shared/model';
import type { ModelVersion } from '@huddle/shared/protocol';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { RoundMessage } from '../gateway/gatewayEvents.ts';

interface Requested {
  task: TaskId;
  /** The committed model the fit requests named. */
  fit: ModelVersion;
  /** The candidate the evaluate requests named, once sent. */
  candidate: ModelVersion | null;
}

/**
 * Which model each open round's requests named, so that a client which answered with work is not sent that model
 * again. A client computes an update (plain or the first SecAgg step, sent after training) only from the fit request's
 * model, and a secure evaluation step only from the candidate: either reply means it holds that model. A client
 * claiming one falsely only withholds weights from itself (its next request then fails on its side).
 */
export class RequestedModels {
  private readonly rounds = new Map<string, Requested>();

  fitRequested(roundId: string, task: TaskId, model: ModelVersion): void {
    this.rounds.set(roundId, { task, fit: model, candidate: null });
  }

  evaluationRequested(roundId: string, model: ModelVersion): void {
    const r = this.rounds.get(roundId);
    if (r) r.candidate = model;
  }

  forget(roundId: string): void {
    this.rounds.delete(roundId);
  }

  /** Records, on the client's connection, the model its round message shows it holds (plain evaluations say so themselves). */
  noteReply(client: ConnectedClient, msg: RoundMessage): void {
    const r = this.rounds.get(msg.roundId);
    if (!r) return;
    const held = msg.type === 'fitResult' ? r.fit : msg.type === 'secagg' ? this.secureStepModel(r, msg.roundId, msg.payload.roundId) : null;
    if (held) noteHeld(client, r.task, held);
  }

  private secureStepModel(r: Requested, roundId: string, stepRound: unknown): ModelVersion | null {
    if (stepRound === roundId) return r.fit;
    return stepRound === evaluationSecAggId(roundId) ? r.candidate : null;
  }
}

/** Records that `client` holds `model`; a late reply must not replace a newer model the client was since sent. */
export function noteHeld(client: ConnectedClient, task: TaskId, model: ModelVersion): void {
  if ((client.models[task]?.round ?? -1) <= model.round) client.models[task] = model;
}
