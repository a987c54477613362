import { planEvaluationEncoding, type EvaluationKind } from '@huddle/shared/aggregation';
import type { PrivacyLedger, RandomSource } from '@huddle/shared/privacy';
import type { ModelVersion, SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity, StrikeLedger } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import type { ClientGateway } from '../gateway/clientGateway.ts';
import { planRoundPrivacy, type RoundPrivacy } from '../privacyPlan.ts';
import { CohortSumEvaluateWorkflow } from '../workflows/cohortSumEvaluate.ts';
import type { CohortPort } from '../workflows/cohorts.ts';
import { EvaluateWorkflow } from '../workflows/evaluate.ts';
import type { CentralNoise } from '../workflows/plainReplies.ts';
import { SecureEvaluateWorkflow } from '../workflows/secureEvaluate.ts';
import type { TaskRuntime } from './taskRuntime.ts';

export interface EvaluationRoundContext {
  t: TaskRuntime;
  roundId: string;
  model: ModelVersion;
  selected: ReadonlySet<string>;
  deadline: number;
  clock: Clock;
  gateway: ClientGateway;
  logger: Logger;
  random: RandomSource;
  identityOf(clientId: string): PeerIdentity | null;
  strikes: StrikeLedger;
  /** Scale-out: each node evaluates its own cohort and the leader adds the cohort sums. */
  cohorts?: CohortPort;
}

export type EvaluationPlan =
  | { ok: true; workflow: EvaluateWorkflow | SecureEvaluateWorkflow | CohortSumEvaluateWorkflow; secure: SecureFit | null }
  | { ok: false; reason: string };

export function evaluationKind(t: TaskRuntime): EvaluationKind {
  return t.spec.loss === 'binaryCrossentropy' ? 'binary' : 'regression';
}

/**
 * The evaluation release's privacy cost: under DP it is one more Poisson-subsampled Gaussian release (q the
 * evaluators' check-in rate, selection.ts's selectEvaluators; the task's noise multiplier on the normalized vector),
 * checked against the budget like a round.
 */
export function planEvaluationPrivacy(t: TaskRuntime, checkInRate: number | null, ledger: PrivacyLedger): { ok: true; privacy: RoundPrivacy | null } | { ok: false; reason: string } {
  return planRoundPrivacy(t.config, checkInRate, ledger);
}

/**
 * The evaluate workflow of a round: under secure aggregation the evaluation vectors go through the SecAgg steps
 * (noised on the devices under distributed DP); otherwise each is sent in plaintext and summed here (noised here
 * under central DP).
 */
export function evaluationWorkflow(c: EvaluationRoundContext): EvaluationPlan {
  const { config } = c.t;
  const kind = evaluationKind(c.t);
  const noise = config.privacy.noise;
  const z = noise === 'none' ? null : config.privacy.noiseMultiplier;
  const sa = config.secureAggregation;
  if (!sa.enabled) {
    const centralNoise = z !== null ? { noiseMultiplier: z, random: c.random } : null;
    if (c.cohorts) return { ok: true, secure: null, workflow: cohortEvaluation(c, c.cohorts, kind, centralNoise, null) };
    return { ok: true, secure: null, workflow: new EvaluateWorkflow({ task: config.task, selected: c.selected, deadline: c.deadline, expected: kind, model: c.model, centralNoise, clock: c.clock, io: c.gateway }) };
  }
  const minClients = Math.max(3, config.minClients);
  if (c.selected.size < minClients) return { ok: false, reason: `${c.selected.size} idle evaluators, secure evaluation needs ${minClients}` };
  const encoding = planEvaluationEncoding(kind, { noise, noiseMultiplier: z, minClients }, c.selected.size);
  if (c.cohorts) {
    const secure = { encoding, noise, noiseMultiplier: z ?? 0, random: c.random, minClients, neighbours: sa.neighbours, threshold: sa.threshold, phaseTimeoutMs: sa.phaseTimeoutMs, maxStrikes: sa.maxStrikesPerClient ?? 3 };
    return { ok: true, secure: encoding, workflow: cohortEvaluation(c, c.cohorts, kind, null, secure) };
  }
  const workflow = new SecureEvaluateWorkflow({
    task: config.task,
    roundId: c.roundId,
    selected: c.selected,
    minClients,
    deadline: c.deadline,
    expected: kind,
    encoding,
    noise,
    noiseMultiplier: z ?? 0,
    random: c.random,
    neighbours: config.secureAggregation.neighbours,
    threshold: config.secureAggregation.threshold,
    phaseTimeoutMs: config.secureAggregation.phaseTimeoutMs,
    clock: c.clock,
    identityOf: (id) => c.identityOf(id),
    strikes: c.strikes,
    logger: c.logger,
    io: c.gateway,
    broadcast: (ids, payload) => c.gateway.sendToClients(ids, { type: 'secagg', roundId: c.roundId, payload }),
  });
  return { ok: true, secure: encoding, workflow };
}

/** The evaluation over cohorts (scale-out): the same plan (selection, encoding, noise), run per node and summed. */
function cohortEvaluation(c: EvaluationRoundContext, port: CohortPort, expected: EvaluationKind, centralNoise: CentralNoise, secure: ConstructorParameters<typeof CohortSumEvaluateWorkflow>[0]['secure']): CohortSumEvaluateWorkflow {
  return new CohortSumEvaluateWorkflow({
    roundId: c.roundId,
    task: c.t.config.task,
    selected: c.selected,
    deadline: c.deadline,
    expected,
    model: c.model,
    centralNoise,
    secure,
    identityOf: (id) => c.identityOf(id),
    port,
    clock: c.clock,
    logger: c.logger,
  });
}
