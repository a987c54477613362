import type { SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity, StrikeLedger } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import { SecureFitRound } from './secAggSteps.ts';
import type { WorkflowIo } from './workflow.ts';

/** What both secure workflows (fit and evaluate) need to run the SecAgg steps over a round's selection. */
export interface SecureWorkflowOptions {
  roundId: string;
  selected: ReadonlySet<string>;
  minClients: number;
  deadline: number;
  encoding: SecureFit;
  neighbours: number | null;
  threshold: number | null;
  phaseTimeoutMs: number;
  clock: Clock;
  /** Enrolled federations: each client's enrollment key, put in the roster so peers can check its signed keys. */
  identityOf?: (clientId: string) => PeerIdentity | null;
  /** Clients caught sending bad shares in earlier rounds (barred at the cap); this round's cheaters are added. */
  strikes?: StrikeLedger;
  logger: Logger;
  io: WorkflowIo;
  /** Sends one SecAgg payload to several clients (encoded once). */
  broadcast(clientIds: Iterable<string>, payload: Record<string, unknown>): void;
}

/** The SecAgg step machine of one instance: `secAggId` is the round's own id (fit) or its evaluation's. */
export function secAggStepsFor(o: SecureWorkflowOptions, secAggId: string, target: number): SecureFitRound {
  return new SecureFitRound({
    roundId: secAggId,
    selected: o.selected,
    target,
    minSurvivors: o.minClients,
    vectorLength: o.encoding.vectorLength,
    neighbours: o.neighbours,
    threshold: o.threshold,
    trainDeadline: o.deadline,
    phaseTimeoutMs: o.phaseTimeoutMs,
    clock: o.clock,
    ...(o.identityOf ? { identityOf: o.identityOf } : {}),
    ...(o.strikes ? { strikes: o.strikes } : {}),
    send: o.broadcast,
  });
}
