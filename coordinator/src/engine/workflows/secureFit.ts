import { decodeSecureVector, secureSumProblem } from '@huddle/shared/aggregation';
import { SecAggError } from '@huddle/shared/secagg';
import type { ClientMessage, MessageOf, SecureFit } from '@huddle/shared/protocol';
import type { Logger } from '@huddle/shared/util';
import type { ConnectedClient } from '../clientRegistry.ts';
import type { SecureFitResult, SecureFitRound } from './secAggSteps.ts';
import { secAggStepsFor, type SecureWorkflowOptions } from './secureWorkflowOptions.ts';
import type { FitWorkflowResult } from './workflow.ts';

export interface SecureFitOptions extends SecureWorkflowOptions {
  target: number;
  /** This round's clip bound: the decoded sum is checked against it (secureSumProblem). */
  clip: number;
}

/** Fit under secure aggregation: the coordinator only learns the survivors' sum, decoded by the shared codec. */
export class SecureFitWorkflow {
  readonly kind = 'secureFit';
  private readonly steps: SecureFitRound;

  constructor(private readonly o: SecureFitOptions) {
    this.steps = secAggStepsFor(o, o.roundId, o.target);
  }

  /** Processes one step message; resolves when done (the engine counts this as in-flight work). */
  async onSecAgg(client: ConnectedClient, msg: MessageOf<ClientMessage, 'secagg'>): Promise<void> {
    try {
      await this.steps.accept(client.clientId, msg.payload);
    } catch (err) {
      if (err instanceof SecAggError && err.code === 'INVALID_STATE' && msg.payload.kind === 'secagg/advertise-keys') {
        this.o.logger.debug({ client: client.clientId, roundId: msg.roundId }, 'late keys of an over-selected client ignored');
        return;
      }
      const text = err instanceof Error ? err.message : String(err);
      this.o.io.reject(client.conn, 'bad-update', `secure aggregation message refused: ${text}`, msg.roundId);
    }
  }

  drop(clientId: string): void {
    this.steps.drop(clientId);
  }

  close(): void {
    // The step collectors close when run() ends; nothing else holds resources.
  }

  /** The survivors' unmasked integer sum, undecoded (a cohort's node sends it to the leader, which decodes the total). */
  sum(): Promise<SecureFitResult> {
    return this.steps.run();
  }

  async run(): Promise<FitWorkflowResult> {
    const result = await this.sum();
    if (!result.ok) return { ok: false, reason: result.reason, reported: result.survivors, released: result.released };
    return decodeSecureFit(result.sum, result.survivors, this.o.encoding, this.o.clip, this.o.logger, this.o.roundId);
  }
}

/** The survivors' unmasked sum as a round's aggregate (one cohort's, or the sum of every cohort's sums). */
export function decodeSecureFit(sum: Uint32Array, survivors: string[], encoding: SecureFit, clip: number, logger: Logger, roundId: string): FitWorkflowResult {
  const decoded = decodeSecureVector(sum, encoding, survivors.length);
  // The coordinator now holds the sum: a refusal from here on keeps the round's privacy charge.
  if (!(decoded.weight > 0)) return { ok: false, reason: 'the survivors reported no training examples', reported: survivors, released: true };
  const problem = secureSumProblem(decoded, encoding, survivors.length, clip);
  if (problem) {
    logger.warn({ roundId, survivors: survivors.length }, `secure sum refused: ${problem}`);
    return { ok: false, reason: `secure sum refused (a client sent more than its clip bound allows): ${problem}`, reported: survivors, released: true };
  }
  const stats = { reporters: survivors.length, numExamples: decoded.numExamples, trainLoss: decoded.trainLoss, clipBits: decoded.clipBits, clipBitNoiseStd: decoded.clipBitNoiseStd };
  return { ok: true, reported: survivors, fit: { sum: decoded.sum, weight: decoded.weight, stats } };
}
