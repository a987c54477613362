import { withClientSideClippingDp, planSecureEncoding, type Strategy } from '@huddle/shared/aggregation';
import { encodeWeights, parameterCount, type TaskId } from '@huddle/shared/modelCore';
import { secureRandom, type RandomSource } from '@huddle/shared/privacy';
import { Prng } from '@huddle/shared/random';
import { modelChecksum, sameVersion, type ModelVersion, type SecureFit, type ServerMessageInput } from '@huddle/shared/protocol';
import { StrikeLedger, type PeerIdentity } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { CoordinatorStore } from '../../store/store.ts';
import { nextClipBound } from '../adaptiveClip.ts';
import type { ClientAuthenticator } from '../authenticator.ts';
import type { ClientRegistry, ConnectedClient } from '../clientRegistry.ts';
import type { Clock } from '../clock.ts';
import type { ClientGateway } from '../gateway/clientGateway.ts';
import type { RoundMessage } from '../gateway/gatewayEvents.ts';
import { distributedCorrection, planRoundPrivacy, roundUpdateNoise, type RoundPrivacy } from '../privacyPlan.ts';
import { CRASHED_ROUND_REASON, MODEL_COMPLETE, type RoundRecord } from '../roundRecord.ts';

export { CRASHED_ROUND_REASON };
import { selectEvaluators, selectionRandom, selectRound } from '../selection.ts';
import { checkpointStateOf } from '../checkpointState.ts';
import type { EvaluateWorkflow } from '../workflows/evaluate.ts';
import type { SecureEvaluateWorkflow } from '../workflows/secureEvaluate.ts';
import type { CohortSumEvaluateWorkflow } from '../workflows/cohortSumEvaluate.ts';
import { emptyEvaluation, type EvaluationOutcome } from '../evaluation.ts';
import { evaluationWorkflow, planEvaluationPrivacy } from './evaluationRound.ts';
import { PlainFitWorkflow } from '../workflows/plainFit.ts';
import { SecureFitWorkflow } from '../workflows/secureFit.ts';
import type { FitWorkflowResult } from '../workflows/workflow.ts';
import { CohortSumFitWorkflow } from '../workflows/cohortSumFit.ts';
import type { CohortPort } from '../workflows/cohorts.ts';
import type { RoundEvent, TaskRuntime } from './taskRuntime.ts';
import { noteHeld, RequestedModels } from './requestedModels.ts';
import type { PlainPriorWorkflow, SecurePriorWorkflow } from '../prior/priorWorkflow.ts';

export interface RoundRunnerContext {
  registry: ClientRegistry;
  gateway: ClientGateway;
  store: CoordinatorStore;
  auth: ClientAuthenticator;
  clock: Clock;
  logger: Logger;
  random: RandomSource;
  selectionSeed?: number;
  /** The DP sampling rate's population for a task's round. */
  population(t: TaskRuntime): number;
  /** A client's enrollment key (and auditor countersignature) for secure rosters; null in open federations. */
  identityOf(clientId: string): PeerIdentity | null;
  emit(e: RoundEvent): void;
  /** Scale-out: fit runs per cohort on the nodes holding the sockets, and the runner adds the cohort sums. */
  cohorts?: CohortPort;
}

type ActiveWorkflow = PlainFitWorkflow | SecureFitWorkflow | CohortSumFitWorkflow | EvaluateWorkflow | SecureEvaluateWorkflow | CohortSumEvaluateWorkflow | PlainPriorWorkflow | SecurePriorWorkflow;
type Participants = Pick<RoundRecord, 'selected' | 'reported' | 'dropped'>;
type RoundBase = Pick<RoundRecord, 'task' | 'round' | 'roundId' | 'startedAt'>;

/**
 * One round: select, plan privacy, fit (plain or secure workflow), aggregate through the strategy,
 * evaluate, commit. Client messages reach the round's active workflow by round id.
 */
export class RoundRunner {
  private readonly active = new Map<string, ActiveWorkflow>();
  /** `roundId/clientId` of selected clients whose update may still arrive after collection closed. */
  private readonly lateAllowed = new Set<string>();
  /** Per task: clients caught sending bad shares in secure rounds. */
  private readonly strikes = new Map<TaskId, StrikeLedger>();
  /** Client messages still being processed asynchronously (SecAgg steps); see `busy`. */
  private pendingWork = 0;
  private readonly idleListeners = new Set<() => void>();
  /** The models each open round's requests named: who answered holds them, and is not sent them again. */
  private readonly requested = new RequestedModels();

  /** Round selection: the CSPRNG, or a seeded stream when the context gives a selection seed (simulations, tests). */
  private readonly selectionRandom: RandomSource;

  constructor(private readonly c: RoundRunnerContext) {
    this.selectionRandom = selectionRandom(secureRandom, c.selectionSeed);
  }

  get busy(): boolean {
    return this.pendingWork > 0;
  }

  onIdle(listener: () => void): () => void {
    this.idleListeners.add(listener);
    return () => this.idleListeners.delete(listener);
  }

  closeAll(): void {
    for (const w of this.active.values()) w.close();
  }

  /** A federated-statistic round (prior/twinPriorRounds.ts) hosts its workflow here, so its clients' messages reach it. */
  hostStatistic(roundId: string, workflow: PlainPriorWorkflow | SecurePriorWorkflow): void {
    this.active.set(roundId, workflow);
  }

  endStatistic(roundId: string): void {
    this.active.delete(roundId);
  }

  route(client: ConnectedClient, msg: RoundMessage): void {
    const w = this.active.get(msg.roundId);
    const late = this.lateAllowed.has(`${msg.roundId}/${client.clientId}`);
    this.requested.noteReply(client, msg);
    switch (msg.type) {
      case 'decline':
        w?.drop(client.clientId);
        this.c.logger.info({ client: client.clientId, roundId: msg.roundId, reason: msg.reason }, 'client declined');
        return;
      case 'fitResult':
        if (w?.kind === 'plainFit' && w.collecting) return w.onFitResult(client, msg);
        if (late) return this.c.logger.debug({ client: client.clientId, roundId: msg.roundId }, 'late update of an over-selected client discarded');
        return this.c.gateway.reject(client.conn, 'stale-round', `round ${msg.roundId} is not collecting updates`, msg.roundId);
      case 'secagg':
        if (w?.kind === 'secureFit' || w?.kind === 'secureEvaluate' || w?.kind === 'securePrior') return this.track(w.onSecAgg(client, msg));
        if (!late) this.c.gateway.reject(client.conn, 'stale-round', `round ${msg.roundId} is not running secure aggregation`, msg.roundId);
        return;
      case 'evaluateResult':
        if (w?.kind === 'evaluate') return w.onEvaluateResult(client, msg);
        return this.c.gateway.reject(client.conn, 'stale-round', `round ${msg.roundId} is not collecting evaluations`, msg.roundId);
      case 'statisticResult':
        if (w?.kind === 'plainPrior') return w.onStatisticResult(client, msg);
        return this.c.gateway.reject(client.conn, 'stale-round', `round ${msg.roundId} is not collecting statistics`, msg.roundId);
      default: {
        const never: never = msg;
        throw new Error(`unhandled round message ${(never as { type: string }).type}`);
      }
    }
  }

  /** A client left: it drops out of the round it was working on. */
  clientLeft(client: ConnectedClient): void {
    if (client.busyWith) this.active.get(client.busyWith)?.drop(client.clientId);
  }

  async run(t: TaskRuntime): Promise<RoundRecord> {
    const { config } = t;
    const round = t.round + 1;
    const roundId = `${config.task}-${round}-${randomSuffix()}`;
    const base: RoundBase = { task: config.task, round, roundId, startedAt: new Date(this.c.clock.now()).toISOString() };
    if (t.model.complete(t.weights)) return this.finishAbandoned(t, base, none(), MODEL_COMPLETE);
    const candidates = this.c.registry.idleFor(config.task).filter((cl) => this.c.auth.isActive(cl.clientId));
    if (candidates.length < config.minClients) {
      return this.finishAbandoned(t, base, none(), `only ${candidates.length} idle opted-in clients, ${config.minClients} needed`);
    }
    const { chosen, checkInRate } = selectRound(config, candidates, this.c.population(t), this.selectionRandom, { chosen: t.pass, idOf: (cl: ConnectedClient) => cl.clientId });
    if (chosen.length < config.minClients) {
      return this.finishAbandoned(t, base, none(), `check-in drew ${chosen.length} of ${candidates.length} idle opted-in clients (q = ${checkInRate?.toPrecision(3) ?? 1}), ${config.minClients} needed`);
    }
    const selected = new Set(chosen.map((cl) => cl.clientId));
    const noise = roundUpdateNoise(config);
    if (!noise.ok) return this.finishAbandoned(t, base, none(), noise.reason);
    const encoding = config.secureAggregation.enabled
      ? planSecureEncoding(
          { noise: config.privacy.noise, clip: t.clip, parameters: parameterCount(t.model.contribution), minClients: config.minClients, needsIndividualUpdates: t.strategy.aggregator.needsIndividualUpdates, updateNoiseMultiplier: noise.z, clipBitNoiseStd: config.privacy.adaptiveClipping?.bitNoiseStd ?? null },
          selected.size,
        )
      : null;
    const plan = planRoundPrivacy(config, checkInRate, this.c.store.loadLedger(config.task), distributedCorrection(encoding, selected.size, parameterCount(t.model.contribution), noise.z));
    if (!plan.ok) return this.finishAbandoned(t, base, none(), plan.reason);
    // Charged before any client sees the round: epsilon spent is never forgotten, even after a crash.
    this.c.store.markRoundOpen(config.task, roundId, round, plan.privacy?.entry ?? null, { selected: [...selected], secureAggregation: config.secureAggregation.enabled });
    const deadline = this.c.clock.now() + config.roundTimeoutMs;
    const strategy = this.roundStrategy(t, plan.privacy, selected.size);
    this.c.emit({ type: 'roundStarted', task: config.task, round, roundId, selected: selected.size, deadline });
    this.c.logger.info({ task: config.task, round, roundId, selected: selected.size, secure: !!encoding, noise: config.privacy.noise }, 'round started');
    const fit = await this.fit(t, roundId, selected, deadline, strategy, encoding);
    const reported = new Set(fit.reported);
    for (const id of selected) if (!reported.has(id)) this.lateAllowed.add(`${roundId}/${id}`);
    this.c.clock.setTimer(config.roundTimeoutMs, () => {
      for (const id of selected) this.lateAllowed.delete(`${roundId}/${id}`);
      this.requested.forget(roundId);
    });
    this.release(roundId, selected);
    const participants: Participants = { selected: [...selected], reported: fit.reported, dropped: [...selected].filter((id) => !reported.has(id)) };
    this.active.delete(roundId);
    if (!fit.ok) return this.finishAbandoned(t, base, participants, fit.reason, !fit.released && plan.privacy !== null);
    const newWeights = strategy.aggregateFit(t.weights, fit.fit);
    const newBytes = encodeWeights(newWeights);
    const model: ModelVersion = { round, checksum: modelChecksum(newBytes) };
    const { outcome, evaluators, epsilonAfter } = await this.evaluate(t, roundId, model, newBytes);
    const { metrics } = outcome;
    const published = { model, quality: outcome.quality, standing: outcome.standing };
    this.active.delete(roundId);
    const clipUsed = t.clip;
    const stats = fit.fit.stats;
    t.clip = nextClipBound(config, t.clip, stats.clipBits, stats.reporters, this.c.random, stats.clipBitNoiseStd ?? 0);
    t.weights = newWeights;
    t.version = model;
    t.round = round;
    t.published = published;
    const privacy = plan.privacy ? { epsilon: epsilonAfter ?? plan.privacy.epsilonAfter, delta: plan.privacy.delta, noiseMultiplier: plan.privacy.entry.noiseMultiplier, samplingRate: plan.privacy.entry.samplingRate, clip: clipUsed } : null;
    const record: RoundRecord = {
      ...base,
      ...participants,
      status: 'completed',
      reason: null,
      endedAt: new Date(this.c.clock.now()).toISOString(),
      // Under DP the per-round training statistics are withheld: they would escape the noise.
      numExamples: privacy ? 0 : stats.numExamples,
      trainLoss: !privacy && Number.isFinite(stats.trainLoss) ? stats.trainLoss : null,
      metrics,
      privacy,
      secureAggregation: !!encoding,
      model,
      published,
    };
    this.c.store.commitRound(record, { task: config.task, round, weights: newWeights, optimizerState: checkpointStateOf(t), published });
    // Only now may clients adopt `model`: it is committed (evaluators hold it as their candidate).
    this.notify(new Set([...selected, ...evaluators]), { type: 'roundEnd', roundId, task: config.task, round, status: 'completed', counted: false, model }, new Set(fit.reported));
    this.c.logger.info({ task: config.task, round, reported: stats.reporters, dropped: participants.dropped.length, trainLoss: record.trainLoss, metrics, epsilon: privacy?.epsilon }, 'round completed');
    this.c.emit({ type: 'roundEnded', record });
    return record;
  }

  private strikesOf(t: TaskRuntime): StrikeLedger {
    const cap = t.config.secureAggregation.maxStrikesPerClient ?? 3;
    let ledger = this.strikes.get(t.config.task);
    if (!ledger) this.strikes.set(t.config.task, (ledger = new StrikeLedger(cap)));
    return ledger;
  }

  /** The task's strategy, wrapped for DP-FedAvg when the round is noised. */
  private roundStrategy(t: TaskRuntime, privacy: RoundPrivacy | null, selected: number): Strategy {
    const noise = t.config.privacy.noise;
    if (noise === 'none' || !privacy) return t.strategy;
    // planSecureEncoding sizes the devices' shares for this many survivors.
    const noiseSurvivors = Math.min(t.config.minClients, selected);
    return withClientSideClippingDp(t.strategy, { noise, noiseMultiplier: privacy.updateNoiseMultiplier, clip: t.clip, random: this.c.random, noiseSurvivors });
  }

  private async fit(t: TaskRuntime, roundId: string, selected: Set<string>, deadline: number, strategy: Strategy, encoding: SecureFit | null): Promise<FitWorkflowResult> {
    const { config } = t;
    const common = { roundId, selected, target: config.clientsPerRound, minClients: config.minClients, deadline, clock: this.c.clock, io: this.c.gateway };
    const cohorts = this.c.cohorts;
    // Robust aggregators need every update in one place; under the DP wrapper they average uniformly, which cohorts can sum.
    if (cohorts && (encoding || strategy !== t.strategy || !t.strategy.aggregator.needsIndividualUpdates)) {
      const workflow = new CohortSumFitWorkflow({
        roundId, task: config.task, selected, target: config.clientsPerRound, minClients: config.minClients, deadline, clip: t.clip, clock: this.c.clock, logger: this.c.logger, port: cohorts,
        identityOf: (id) => this.c.identityOf(id),
        plain: encoding ? null : { manifest: t.model.contribution, weighting: strategy === t.strategy ? 'examples' : 'uniform' },
        secure: encoding ? { encoding, neighbours: config.secureAggregation.neighbours, threshold: config.secureAggregation.threshold, phaseTimeoutMs: config.secureAggregation.phaseTimeoutMs, maxStrikes: config.secureAggregation.maxStrikesPerClient ?? 3 } : null,
      });
      this.active.set(roundId, workflow);
      this.sendFitRequests(t, roundId, workflow.participants, deadline, encoding);
      return workflow.run();
    }
    const workflow = encoding
      ? new SecureFitWorkflow({
          ...common,
          encoding,
          clip: t.clip,
          neighbours: config.secureAggregation.neighbours,
          threshold: config.secureAggregation.threshold,
          phaseTimeoutMs: config.secureAggregation.phaseTimeoutMs,
          identityOf: (id) => this.c.identityOf(id),
          strikes: this.strikesOf(t),
          logger: this.c.logger,
          broadcast: (ids, payload) => this.c.gateway.sendToClients(ids, { type: 'secagg', roundId, payload }),
        })
      : new PlainFitWorkflow({
          ...common,
          clip: t.clip,
          manifest: t.model.contribution,
          strategy,
          onAccepted: (reported) => this.c.emit({ type: 'updateReceived', task: config.task, round: t.round + 1, roundId, reported }),
        });
    this.active.set(roundId, workflow);
    this.sendFitRequests(t, roundId, selected, deadline, encoding);
    return workflow.run();
  }

  private sendFitRequests(t: TaskRuntime, roundId: string, selected: ReadonlySet<string>, deadline: number, secure: SecureFit | null): void {
    const { config } = t;
    const round = t.round + 1;
    const fitConfig = t.strategy.configureFit(round, { ...config.fit, clipNorm: t.clip, seed: (config.fit.seed * 1_000_003 + round) >>> 0 });
    const clipBitBound = config.privacy.adaptiveClipping ? t.clip : null;
    for (const id of selected) {
      const cl = this.c.registry.byId(id);
      if (cl) cl.busyWith = roundId;
    }
    const base = { type: 'fitRequest' as const, roundId, task: config.task, round, model: t.version, config: fitConfig, deadline, secure, clipBitBound, modelSettings: t.model.settings };
    this.requested.fitRequested(roundId, config.task, t.version);
    const [holders, others] = this.byHolding(selected, config.task, t.version);
    this.c.gateway.sendToClients(holders, { ...base, weights: null });
    if (others.length > 0) this.c.gateway.sendToClients(others, { ...base, weights: encodeWeights(t.weights) });
  }

  /** Splits clients into those that hold `version` (sent no weights) and the others. */
  private byHolding(ids: Iterable<string>, task: TaskRuntime['config']['task'], version: ModelVersion): [string[], string[]] {
    const holders: string[] = [];
    const others: string[] = [];
    for (const id of ids) (sameVersion(this.c.registry.byId(id)?.models[task], version) ? holders : others).push(id);
    return [holders, others];
  }

  /**
   * Evaluates the candidate `model` (not yet committed: clients hold it as pending, never adopt it here). Under DP the
   * evaluation release is charged to the ledger first, and skipped when the budget cannot pay for it.
   */
  private async evaluate(t: TaskRuntime, roundId: string, model: ModelVersion, weightBytes: Uint8Array): Promise<{ outcome: EvaluationOutcome; evaluators: Set<string>; epsilonAfter: number | null }> {
    const { round } = model;
    const idle = this.c.registry.idleFor(t.config.task);
    const random = this.c.selectionSeed !== undefined ? new Prng(this.c.selectionSeed + 7919 * round) : secureRandom;
    const { chosen, checkInRate } = selectEvaluators(t.config, idle, this.c.population(t), random);
    const selected = new Set(chosen.map((cl) => cl.clientId));
    const skipped = (reason: string) => {
      this.c.logger.warn({ task: t.config.task, round, reason }, 'evaluation skipped');
      return { outcome: emptyEvaluation(), evaluators: new Set<string>(), epsilonAfter: null };
    };
    if (selected.size === 0) return { outcome: emptyEvaluation(), evaluators: selected, epsilonAfter: null };
    const privacy = planEvaluationPrivacy(t, checkInRate, this.c.store.loadLedger(t.config.task));
    if (!privacy.ok) return skipped(privacy.reason);
    const deadline = this.c.clock.now() + t.config.evaluateTimeoutMs;
    const plan = evaluationWorkflow({ t, roundId, model, selected, deadline, clock: this.c.clock, gateway: this.c.gateway, logger: this.c.logger, random: this.c.random, identityOf: (id) => this.c.identityOf(id), strikes: this.strikesOf(t), ...(this.c.cohorts ? { cohorts: this.c.cohorts } : {}) });
    if (!plan.ok) return skipped(plan.reason);
    // Charged before any evaluator is asked, like a round's fit.
    if (privacy.privacy) this.c.store.chargeLedger(t.config.task, privacy.privacy.entry);
    const { workflow } = plan;
    this.active.set(roundId, workflow);
    // Over cohorts, only the evaluators placed in a cohort are asked.
    const asked: ReadonlySet<string> = workflow.kind === 'cohortEvaluate' ? workflow.participants : selected;
    for (const cl of chosen) if (asked.has(cl.clientId)) cl.busyWith = roundId;
    const base = { type: 'evaluateRequest' as const, roundId, task: t.config.task, round, model, deadline, modelSettings: t.model.settings, secure: plan.secure };
    this.requested.evaluationRequested(roundId, model);
    const [holders, others] = this.byHolding(asked, t.config.task, model);
    this.c.gateway.sendToClients(holders, { ...base, weights: null });
    if (others.length > 0) this.c.gateway.sendToClients(others, { ...base, weights: weightBytes });
    const outcome = await workflow.run();
    // A cohort's replies stay on its node: its counted evaluators hold the candidate (plain evaluators send it back).
    if (workflow.kind === 'cohortEvaluate') {
      for (const id of workflow.reported) {
        const cl = this.c.registry.byId(id);
        if (cl) noteHeld(cl, t.config.task, model);
      }
    }
    this.release(roundId, selected);
    return { outcome, evaluators: selected, epsilonAfter: privacy.privacy?.epsilonAfter ?? null };
  }

  /** `refund`: the round was charged and released nothing, so its charge is removed with the record (one transaction). */
  private finishAbandoned(t: TaskRuntime, base: RoundBase, participants: Participants, reason: string, refund = false): RoundRecord {
    const record: RoundRecord = { ...base, ...participants, status: 'abandoned', reason, endedAt: new Date(this.c.clock.now()).toISOString(), numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation: t.config.secureAggregation.enabled };
    if (refund) this.c.store.commitAbandonedWithRefund(record);
    else this.c.store.commitRound(record, null);
    this.notify(participants.selected, { type: 'roundEnd', roundId: base.roundId, task: t.config.task, round: base.round, status: 'abandoned', counted: false, model: null }, new Set());
    this.c.logger.warn({ task: t.config.task, round: base.round, reason }, 'round abandoned');
    this.c.emit({ type: 'roundEnded', record });
    return record;
  }

  /** Tells each selected client how the round ended and whether its update counted. */
  private notify(ids: Iterable<string>, msg: Extract<ServerMessageInput, { type: 'roundEnd' }>, counted: ReadonlySet<string>): void {
    for (const id of ids) {
      const cl = this.c.registry.byId(id);
      if (cl) this.c.gateway.sendTo(cl, { ...msg, counted: counted.has(id) });
    }
  }

  private release(roundId: string, ids: Iterable<string>): void {
    for (const id of ids) {
      const cl = this.c.registry.byId(id);
      if (cl && cl.busyWith === roundId) cl.busyWith = null;
    }
  }

  private track(work: Promise<void>): void {
    this.pendingWork++;
    void work.finally(() => {
      if (--this.pendingWork === 0) this.idleListeners.forEach((l) => l());
    });
  }
}

function none(): Participants {
  return { selected: [], reported: [], dropped: [] };
}

function randomSuffix(): string {
  return [...globalThis.crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
