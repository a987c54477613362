import { createStrategy, uniformMean, type FitOutcome, type Strategy } from '@huddle/shared/aggregation';
import { gaussianNoise, l2Norm, secureRandom, type RandomSource } from '@huddle/shared/privacy';
import { dequantizeSum, SecAggError } from '@huddle/shared/secagg';
import { decodeWeights, encodeWeights, modelSpec, parameterCount, type ModelSpec, type TaskId, type WeightEntry } from '@huddle/shared/model';
import { taskModelRuntime, type TaskModelRuntime } from './taskModel.ts';
import {
  decodeClientMessage,
  decodeEnvelope,
  encodeMessage,
  PROTOCOL_VERSION,
  type ClientMessage,
  type Connection,
  type ErrorCode,
  type MessageOf,
  type ServerMessageInput,
  type ServerTransport,
  type SecureFit,
} from '@huddle/shared/protocol';
import { nextClipBound } from './adaptiveClip.ts';
import { planRoundPrivacy } from './privacyPlan.ts';
import { SecureFitRound } from './secureFit.ts';
import { secureEncoding } from './secureEncoding.ts';
import { openAuthenticator, type ClientAuthenticator, type ConnectionAuthState } from './authenticator.ts';
import { ClientRegistry, type ConnectedClient } from './clientRegistry.ts';
import { systemClock, type Clock } from './clock.ts';
import { Collector } from './collector.ts';
import { aggregateEvaluation, type EvalOutcome } from './evaluation.ts';
import { silentLogger, type Logger } from '@huddle/shared/util';
import type { RoundRecord } from './roundRecord.ts';
import { sampleClients, selectionSize } from './selection.ts';
import type { TaskConfig } from '@huddle/shared/protocol';
import type { CoordinatorStore } from '../store/store.ts';

export interface CoordinatorOptions {
  tasks: TaskConfig[];
  store: CoordinatorStore;
  featureCount: number;
  logger?: Logger;
  clock?: Clock;
  maxMessageBytes?: number;
  /** Seeds client selection; omit for a fresh random seed per round. */
  selectionSeed?: number;
  /** Who may join; defaults to open (any client id). */
  authenticator?: ClientAuthenticator;
  /** Randomness for central DP noise; a seeded source is for simulations only (default: the CSPRNG). */
  random?: RandomSource;
  /** Enrolled athletes who may take part in a task: the population of the DP sampling rate. */
  populationOf?: (task: TaskId) => number;
}

export type RoundEvent =
  | { type: 'roundStarted'; task: TaskId; round: number; roundId: string; selected: number; deadline: number }
  | { type: 'updateReceived'; task: TaskId; round: number; roundId: string; reported: number }
  | { type: 'roundEnded'; record: RoundRecord };

interface TaskRuntime {
  config: TaskConfig;
  spec: ModelSpec;
  manifest: WeightEntry[];
  /** The task's model family: its parameter layout and how an aggregate becomes the next global model. */
  model: TaskModelRuntime;
  strategy: Strategy;
  round: number;
  weights: Float32Array;
  running: boolean;
  /** Current L2 clip bound (moves under adaptive clipping). */
  clip: number;
}

type Phase =
  | { kind: 'fit'; collector: Collector<FitOutcome & { clipBit: 0 | 1 | null }>; clip: number }
  | { kind: 'secure'; secure: SecureFitRound }
  | { kind: 'evaluate'; collector: Collector<EvalOutcome> };

type FitPhaseResult =
  | { ok: true; mean: Float32Array; reported: string[]; numExamples: number; trainLoss: number; clipBits: number }
  | { ok: false; reason: string; reported: string[] };



interface ActiveRound {
  roundId: string;
  task: TaskId;
  phase: Phase;
}

/** Runs federated rounds over any ServerTransport. Knows nothing of sockets. */
export class Coordinator {
  readonly registry = new ClientRegistry();
  private readonly tasks = new Map<TaskId, TaskRuntime>();
  private readonly active = new Map<string, ActiveRound>();
  private readonly listeners = new Set<(e: RoundEvent) => void>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private transport: ServerTransport | null = null;
  private selectionCounter = 0;
  /** Client ids seen since start: the population for the sampling rate when none is configured. */
  private readonly knownClients = new Set<string>();
  private readonly auth: ClientAuthenticator;
  /** Client messages still being processed asynchronously (SecAgg steps); see `busy`. */
  private pendingWork = 0;
  private readonly idleListeners = new Set<() => void>();
  /** `roundId/clientId` of selected clients whose update may still arrive after collection closed. */
  private readonly lateAllowed = new Set<string>();
  private readonly connections = new Map<string, { nonce: Uint8Array; state: ConnectionAuthState | null; lastSeq: number }>();

  constructor(private readonly options: CoordinatorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.auth = options.authenticator ?? openAuthenticator;
    for (const config of options.tasks) {
      const spec = modelSpec(config.task, options.featureCount);
      const model = taskModelRuntime(config, spec);
      const strategy = createStrategy({ name: config.strategy, ...config.strategyOptions, secureAggregation: config.secureAggregation.enabled });
      let checkpoint = options.store.loadCheckpoint(config.task);
      if (!checkpoint) {
        checkpoint = { task: config.task, round: 0, weights: model.init(config.modelSeed), optimizerState: { optimizer: strategy.optimizer.state(), clip: config.fit.clipNorm } };
        options.store.initCheckpoint(checkpoint);
      }
      const manifest = model.manifest;
      if (checkpoint.weights.length !== parameterCount(manifest)) {
        throw new Error(`checkpoint of ${config.task} has ${checkpoint.weights.length} weights, the model needs ${parameterCount(manifest)}`);
      }
      const saved = (checkpoint.optimizerState ?? {}) as { optimizer?: unknown; clip?: number };
      strategy.optimizer.restore(saved.optimizer ?? null);
      const clip = typeof saved.clip === 'number' && saved.clip > 0 ? saved.clip : config.fit.clipNorm;
      this.tasks.set(config.task, { config, spec, manifest, model, strategy, round: checkpoint.round, weights: checkpoint.weights, running: false, clip });
      this.logger.info({ task: config.task, round: checkpoint.round }, checkpoint.round > 0 ? 'resumed task from checkpoint' : 'initialized task');
    }
    for (const open of options.store.recoverOpenRounds()) {
      if (!this.tasks.has(open.task)) continue;
      const now = new Date(this.clock.now()).toISOString();
      const record: RoundRecord = { ...open, status: 'abandoned', reason: 'the coordinator stopped mid-round; the round was not counted', endedAt: now, selected: [], reported: [], dropped: [], numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation: false };
      options.store.commitRound(record, null);
      this.logger.warn({ task: open.task, round: open.round, roundId: open.roundId }, 'recorded a round interrupted by a restart as abandoned');
    }
  }

  async attach(transport: ServerTransport): Promise<void> {
    this.transport = transport;
    await transport.listen({
      onConnection: (conn) => this.onConnection(conn),
      onMessage: (conn, bytes) => this.onMessage(conn, bytes),
      onForeign: (conn, what) => this.reject(conn, 'unknown-event', `unknown event "${what.slice(0, 64)}": only "${'huddle'}" carries protocol messages`),
      onDisconnect: (conn, reason) => this.onDisconnect(conn, reason),
    });
  }

  async close(): Promise<void> {
    for (const round of this.active.values()) if (round.phase.kind !== 'secure') round.phase.collector.close();
    await this.transport?.close();
    this.options.store.close();
  }

  /** True while a received message is still being processed; a simulator's virtual clock must not jump then. */
  get busy(): boolean {
    return this.pendingWork > 0;
  }

  /** Called whenever the last in-flight message finishes processing. */
  onIdle(listener: () => void): () => void {
    this.idleListeners.add(listener);
    return () => this.idleListeners.delete(listener);
  }

  on(listener: (e: RoundEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  taskIds(): TaskId[] {
    return [...this.tasks.keys()];
  }

  taskState(task: TaskId): { config: TaskConfig; round: number; weights: Float32Array; spec: ModelSpec; running: boolean } {
    const t = this.runtime(task);
    return { config: t.config, round: t.round, weights: t.weights, spec: t.spec, running: t.running };
  }

  /** Replaces a task's settings from its next round on (the model architecture is fixed per task). */
  updateTaskConfig(task: TaskId, config: TaskConfig): void {
    const t = this.runtime(task);
    if (config.task !== task) throw new Error(`settings for ${config.task} cannot be applied to ${task}`);
    const model = t.model.withSettings(config);
    const same = config.strategy === t.config.strategy && JSON.stringify(config.strategyOptions) === JSON.stringify(t.config.strategyOptions);
    const strategy = same ? t.strategy : createStrategy({ name: config.strategy, ...config.strategyOptions, secureAggregation: config.secureAggregation.enabled });
    if (same && config.secureAggregation.enabled && strategy.aggregator.needsIndividualUpdates) {
      throw new Error(`strategy ${config.strategy} needs each client's update and cannot run under secure aggregation`);
    }
    if (config.fit.clipNorm !== t.config.fit.clipNorm) t.clip = config.fit.clipNorm;
    t.model = model;
    t.config = config;
    t.strategy = strategy;
    this.logger.info({ task }, 'task settings changed; they apply from the next round');
  }

  history(task: TaskId): RoundRecord[] {
    this.runtime(task);
    return this.options.store.history(task);
  }

  /** Resolves once `count` idle, opted-in clients are connected for the task. */
  async waitForClients(task: TaskId, count: number, timeoutMs: number): Promise<void> {
    const end = this.clock.now() + timeoutMs;
    while (this.registry.idleFor(task).length < count) {
      if (this.clock.now() > end) throw new Error(`only ${this.registry.idleFor(task).length} of ${count} clients connected for ${task}`);
      await new Promise((r) => this.clock.setTimer(20, () => r(undefined)));
    }
  }

  /** One round: select, fit, aggregate, evaluate, checkpoint. Always resolves with the round's record. */
  async runRound(task: TaskId): Promise<RoundRecord> {
    const t = this.runtime(task);
    if (t.running) throw new Error(`a round of ${task} is already running`);
    t.running = true;
    try {
      return await this.roundBody(t);
    } finally {
      t.running = false;
    }
  }

  private async roundBody(t: TaskRuntime): Promise<RoundRecord> {
    const { config } = t;
    const round = t.round + 1;
    const roundId = `${config.task}-${round}-${randomSuffix()}`;
    const startedAt = new Date(this.clock.now()).toISOString();
    const base = { task: config.task, round, roundId, startedAt };
    const candidates = this.registry.idleFor(config.task).filter((c) => this.auth.isActive(c.clientId));
    if (candidates.length < config.minClients) {
      return this.finishAbandoned(t, { ...base, selected: [], reported: [], dropped: [] }, `only ${candidates.length} idle opted-in clients, ${config.minClients} needed`);
    }
    const seed = this.options.selectionSeed !== undefined ? this.options.selectionSeed + this.selectionCounter++ : randomSeed();
    const chosen = sampleClients(candidates, selectionSize(config.clientsPerRound, config.overSelection), seed);
    const selected = new Set(chosen.map((c) => c.clientId));
    const population = config.privacy.population ?? this.options.populationOf?.(config.task) ?? Math.max(this.registry.optedIn(config.task).length, this.knownClients.size);
    const plan = planRoundPrivacy(config, selected.size, population, this.options.store.loadLedger(config.task));
    if (!plan.ok) return this.finishAbandoned(t, { ...base, selected: [], reported: [], dropped: [] }, plan.reason);
    // Charged before any client sees the round: epsilon spent is never forgotten, even after a crash.
    this.options.store.markRoundOpen(config.task, roundId, round, plan.privacy?.entry ?? null);
    const deadline = this.clock.now() + config.roundTimeoutMs;
    const secure = config.secureAggregation.enabled ? secureEncoding({ config: t.config, clip: t.clip, parameters: parameterCount(t.manifest), needsIndividualUpdates: t.strategy.aggregator.needsIndividualUpdates }, selected.size, plan.privacy) : null;
    this.emit({ type: 'roundStarted', task: config.task, round, roundId, selected: selected.size, deadline });
    this.logger.info({ task: config.task, round, roundId, selected: selected.size, secure: !!secure, noise: config.privacy.noise }, 'round started');
    const fit = secure ? await this.secureFit(t, roundId, selected, deadline, secure) : await this.plainFit(t, roundId, selected, deadline);
    for (const id of selected) if (!fit.reported.includes(id)) this.lateAllowed.add(`${roundId}/${id}`);
    this.clock.setTimer(config.roundTimeoutMs, () => {
      for (const id of selected) this.lateAllowed.delete(`${roundId}/${id}`);
    });
    this.releaseClients(roundId, selected);
    const participants = { selected: [...selected], reported: fit.reported, dropped: [...selected].filter((id) => !fit.reported.includes(id)) };
    if (!fit.ok) {
      this.active.delete(roundId);
      return this.finishAbandoned(t, { ...base, ...participants }, fit.reason);
    }
    let update = fit.mean;
    if (config.privacy.noise === 'central' && plan.privacy) {
      const sd = (plan.privacy.updateNoiseMultiplier * t.clip) / fit.reported.length;
      const noise = gaussianNoise(update.length, sd, this.options.random ?? secureRandom);
      update = update.map((v, i) => v + noise[i]!);
    }
    const newWeights = t.model.applyAggregate(t.weights, update, t.strategy.optimizer);
    const metrics = await this.evaluate(t, roundId, round, newWeights);
    this.active.delete(roundId);
    const clipUsed = t.clip;
    t.clip = nextClipBound(config, t.clip, fit.clipBits, fit.reported.length, this.options.random ?? secureRandom);
    t.weights = newWeights;
    t.round = round;
    const privacy = plan.privacy ? { epsilon: plan.privacy.epsilonAfter, delta: plan.privacy.delta, noiseMultiplier: plan.privacy.entry.noiseMultiplier, samplingRate: plan.privacy.entry.samplingRate, clip: clipUsed } : null;
    const record: RoundRecord = { ...base, ...participants, status: 'completed', reason: null, endedAt: new Date(this.clock.now()).toISOString(), numExamples: fit.numExamples, trainLoss: Number.isFinite(fit.trainLoss) ? fit.trainLoss : null, metrics, privacy, secureAggregation: !!secure };
    this.options.store.commitRound(record, { task: config.task, round, weights: newWeights, optimizerState: { optimizer: t.strategy.optimizer.state(), clip: t.clip } });
    for (const id of selected) {
      const c = this.registry.byId(id);
      if (c) this.send(c.conn, { type: 'roundEnd', roundId, task: config.task, round, status: 'completed', counted: fit.reported.includes(id) });
    }
    this.logger.info({ task: config.task, round, reported: fit.reported.length, dropped: participants.dropped.length, trainLoss: fit.trainLoss, metrics, epsilon: privacy?.epsilon }, 'round completed');
    this.emit({ type: 'roundEnded', record });
    return record;
  }

  private async plainFit(t: TaskRuntime, roundId: string, selected: Set<string>, deadline: number): Promise<FitPhaseResult> {
    const { config } = t;
    const collector = new Collector<FitOutcome & { clipBit: 0 | 1 | null }>(selected, config.clientsPerRound, deadline, this.clock);
    this.active.set(roundId, { roundId, task: config.task, phase: { kind: 'fit', collector, clip: t.clip } });
    this.sendFitRequests(t, roundId, selected, deadline, null);
    await collector.done;
    const outcomes = [...collector.replies.values()];
    const reported = outcomes.map((o) => o.clientId);
    if (outcomes.length < config.minClients) return { ok: false, reason: `${outcomes.length} updates by the deadline, ${config.minClients} needed`, reported };
    const numExamples = outcomes.reduce((s, o) => s + o.numExamples, 0);
    const trainLoss = outcomes.reduce((s, o) => s + o.trainLoss * o.numExamples, 0) / numExamples;
    // Under DP every client weighs the same, so one client's influence is bounded by the clip.
    const mean = config.privacy.noise === 'none' ? t.strategy.aggregator.aggregate(outcomes) : uniformMean(outcomes);
    const clipBits = outcomes.reduce((s, o) => s + (o.clipBit ?? 0), 0);
    return { ok: true, mean, reported, numExamples, trainLoss, clipBits };
  }

  private async secureFit(t: TaskRuntime, roundId: string, selected: Set<string>, deadline: number, secure: SecureFit): Promise<FitPhaseResult> {
    const { config } = t;
    const d = parameterCount(t.manifest);
    const secureRound = new SecureFitRound({
      roundId,
      selected,
      target: config.clientsPerRound,
      minSurvivors: config.minClients,
      vectorLength: secure.vectorLength,
      neighbours: config.secureAggregation.neighbours,
      threshold: config.secureAggregation.threshold,
      trainDeadline: deadline,
      phaseTimeoutMs: config.secureAggregation.phaseTimeoutMs,
      clock: this.clock,
      send: (clientIds, payload) => this.sendToClients(clientIds, { type: 'secagg', roundId, payload }),
    });
    this.active.set(roundId, { roundId, task: config.task, phase: { kind: 'secure', secure: secureRound } });
    this.sendFitRequests(t, roundId, selected, deadline, secure);
    const result = await secureRound.run();
    if (!result.ok) return { ok: false, reason: result.reason, reported: result.survivors };
    const n = result.survivors.length;
    const totalWeight = secure.exampleWeightCap > 0 ? result.sum[d]! | 0 : n;
    if (!(totalWeight > 0)) return { ok: false, reason: 'the survivors reported no training examples', reported: result.survivors };
    const mean = dequantizeSum(result.sum.subarray(0, d), secure.scale).map((v) => v / totalWeight);
    const numExamples = secure.releaseStats ? result.sum[d]! | 0 : 0;
    const trainLoss = secure.releaseStats ? (result.sum[d + 1]! | 0) / 1000 / n : Number.NaN;
    const clipBits = result.sum[d + 2]! | 0;
    return { ok: true, mean, reported: result.survivors, numExamples, trainLoss, clipBits };
  }

  private sendFitRequests(t: TaskRuntime, roundId: string, selected: Set<string>, deadline: number, secure: SecureFit | null): void {
    const { config } = t;
    const round = t.round + 1;
    const fitConfig = t.strategy.configureFit(round, { ...config.fit, clipNorm: t.clip, seed: (config.fit.seed * 1_000_003 + round) >>> 0 });
    const weights = encodeWeights(t.weights);
    const clipBitBound = config.privacy.adaptiveClipping ? t.clip : null;
    for (const id of selected) {
      const c = this.registry.byId(id);
      if (c) c.busyWith = roundId;
    }
    this.sendToClients(selected, { type: 'fitRequest', roundId, task: config.task, round, weights, config: fitConfig, deadline, secure, clipBitBound, model: t.model.settings });
  }

  private async evaluate(t: TaskRuntime, roundId: string, round: number, weights: Float32Array) {
    const idle = this.registry.idleFor(t.config.task);
    const seed = this.options.selectionSeed !== undefined ? this.options.selectionSeed + 7919 * round : randomSeed();
    const chosen = t.config.evaluateClients > 0 ? sampleClients(idle, t.config.evaluateClients, seed) : idle;
    const selected = new Set(chosen.map((c) => c.clientId));
    const deadline = this.clock.now() + t.config.evaluateTimeoutMs;
    const collector = new Collector<EvalOutcome>(selected, selected.size, deadline, this.clock);
    this.active.set(roundId, { roundId, task: t.config.task, phase: { kind: 'evaluate', collector } });
    for (const c of chosen) c.busyWith = roundId;
    this.sendToClients(selected, { type: 'evaluateRequest', roundId, task: t.config.task, round, weights: encodeWeights(weights), deadline, model: t.model.settings });
    await collector.done;
    this.releaseClients(roundId, selected);
    return aggregateEvaluation([...collector.replies.values()]);
  }

  private finishAbandoned(t: TaskRuntime, partial: Omit<RoundRecord, 'status' | 'reason' | 'endedAt' | 'numExamples' | 'trainLoss' | 'metrics' | 'privacy' | 'secureAggregation'>, reason: string): RoundRecord {
    const record: RoundRecord = { ...partial, status: 'abandoned', reason, endedAt: new Date(this.clock.now()).toISOString(), numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation: t.config.secureAggregation.enabled };
    this.options.store.commitRound(record, null);
    for (const id of partial.selected) {
      const c = this.registry.byId(id);
      if (c) this.send(c.conn, { type: 'roundEnd', roundId: partial.roundId, task: t.config.task, round: partial.round, status: 'abandoned', counted: false });
    }
    this.logger.warn({ task: t.config.task, round: partial.round, reason }, 'round abandoned');
    this.emit({ type: 'roundEnded', record });
    return record;
  }

  private releaseClients(roundId: string, ids: Iterable<string>): void {
    for (const id of ids) {
      const c = this.registry.byId(id);
      if (c && c.busyWith === roundId) c.busyWith = null;
    }
  }

  private onConnection(conn: Connection): void {
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(32));
    this.connections.set(conn.id, { nonce, state: null, lastSeq: -1 });
    this.send(conn, { type: 'challenge', protocol: PROTOCOL_VERSION, nonce });
  }

  private onMessage(conn: Connection, bytes: unknown): void {
    const link = this.connections.get(conn.id);
    if (!link) return;
    const envelope = decodeEnvelope(bytes, this.options.maxMessageBytes);
    if (!envelope.ok) {
      this.reject(conn, envelope.code, envelope.error);
      return;
    }
    if (envelope.message.seq <= link.lastSeq) {
      this.reject(conn, 'unauthorized', `message sequence ${envelope.message.seq} was already used on this connection (replay refused)`);
      return;
    }
    if (link.state) {
      const verdict = this.auth.isActive(link.state.clientId) ? this.auth.verifyMessage(link.state, envelope.message) : { ok: false as const, reason: 'enrollment revoked' };
      if (!verdict.ok) {
        this.reject(conn, 'unauthorized', `message refused: ${verdict.reason}`);
        return;
      }
    }
    link.lastSeq = envelope.message.seq;
    if (link.state) link.state.lastSeq = envelope.message.seq;
    const decoded = decodeClientMessage(envelope.message.body, this.options.maxMessageBytes);
    if (!decoded.ok) {
      this.reject(conn, decoded.code, decoded.error);
      return;
    }
    const msg = decoded.message;
    if (msg.type === 'hello') {
      this.onHello(conn, link, msg);
      return;
    }
    const client = this.registry.byConnection(conn.id);
    if (!client || !link.state) {
      this.reject(conn, 'not-ready', `"${msg.type}" before "hello"`);
      return;
    }
    this.dispatch(client, msg);
  }

  private dispatch(client: ConnectedClient, msg: Exclude<ClientMessage, { type: 'hello' }>): void {
    switch (msg.type) {
      case 'setTasks':
        client.tasks = new Set(msg.tasks.filter((task) => this.tasks.has(task) && (client.allowedTasks === null || client.allowedTasks.includes(task))));
        return;
      case 'fitResult':
        return this.onFitResult(client, msg);
      case 'evaluateResult':
        return this.onEvaluateResult(client, msg);
      case 'secagg':
        return this.onSecAgg(client, msg);
      case 'decline': {
        this.dropFromRound(msg.roundId, client.clientId);
        this.logger.info({ client: client.clientId, roundId: msg.roundId, reason: msg.reason }, 'client declined');
        return;
      }
      default: {
        const never: never = msg;
        throw new Error(`unhandled message ${(never as { type: string }).type}`);
      }
    }
  }

  private onHello(conn: Connection, link: { nonce: Uint8Array; state: ConnectionAuthState | null; lastSeq: number }, msg: MessageOf<ClientMessage, 'hello'>): void {
    if (msg.protocol !== PROTOCOL_VERSION) {
      this.reject(conn, 'protocol-version', `protocol ${msg.protocol} is not supported; this coordinator speaks ${PROTOCOL_VERSION}`);
      return;
    }
    if (link.state) {
      this.reject(conn, 'unexpected', 'hello was already received on this connection');
      return;
    }
    const verdict = this.auth.verifyHello(msg.clientId, link.nonce, msg.signature);
    if (!verdict.ok) {
      this.reject(conn, 'unauthorized', `join refused: ${verdict.reason}`);
      conn.close('unauthorized');
      return;
    }
    link.state = { clientId: msg.clientId, publicKey: verdict.publicKey, nonce: link.nonce, lastSeq: link.lastSeq };
    const tasks = msg.tasks.filter((task) => this.tasks.has(task) && (verdict.allowedTasks === null || verdict.allowedTasks.includes(task)));
    this.registry.register(conn, msg.clientId, tasks, verdict.allowedTasks);
    this.knownClients.add(msg.clientId);
    this.logger.info({ client: msg.clientId, tasks, sdk: msg.sdk }, 'client joined');
    this.send(conn, {
      type: 'welcome',
      protocol: PROTOCOL_VERSION,
      clientId: msg.clientId,
      tasks: [...this.tasks.values()].map((t) => ({ task: t.config.task, featureCount: t.spec.inputSize, parameterCount: parameterCount(t.manifest), round: t.round })),
    });
  }

  private onFitResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'fitResult'>): void {
    const round = this.active.get(msg.roundId);
    if (!round || round.phase.kind !== 'fit' || round.phase.collector.isClosed) {
      if (this.lateAllowed.has(`${msg.roundId}/${client.clientId}`)) {
        this.logger.debug({ client: client.clientId, roundId: msg.roundId }, 'late update of an over-selected client discarded');
        return;
      }
      this.reject(client.conn, 'stale-round', `round ${msg.roundId} is not collecting updates`, msg.roundId);
      return;
    }
    const t = this.runtime(round.task);
    let update: Float32Array;
    try {
      update = decodeWeights(msg.update, t.manifest);
    } catch (err) {
      round.phase.collector.drop(client.clientId);
      this.reject(client.conn, 'bad-update', `update refused: ${(err as Error).message}`, msg.roundId);
      return;
    }
    const norm = l2Norm(update);
    if (norm > round.phase.clip * (1 + 1e-4)) {
      round.phase.collector.drop(client.clientId);
      this.reject(client.conn, 'bad-update', `update refused: L2 norm ${norm.toFixed(4)} exceeds the clip bound ${round.phase.clip}`, msg.roundId);
      return;
    }
    const outcome = round.phase.collector.accept(client.clientId, { clientId: client.clientId, numExamples: msg.numExamples, update, trainLoss: msg.trainLoss, clipBit: msg.clipBit });
    if (outcome !== 'accepted') {
      this.reject(client.conn, 'unexpected', `update for ${msg.roundId} not accepted: ${outcome}`, msg.roundId);
      return;
    }
    this.emit({ type: 'updateReceived', task: round.task, round: t.round + 1, roundId: msg.roundId, reported: round.phase.collector.replies.size });
  }

  private dropFromRound(roundId: string, clientId: string): void {
    const phase = this.active.get(roundId)?.phase;
    if (!phase) return;
    if (phase.kind === 'secure') phase.secure.drop(clientId);
    else phase.collector.drop(clientId);
  }

  private onSecAgg(client: ConnectedClient, msg: MessageOf<ClientMessage, 'secagg'>): void {
    const phase = this.active.get(msg.roundId)?.phase;
    if (!phase || phase.kind !== 'secure') {
      if (!this.lateAllowed.has(`${msg.roundId}/${client.clientId}`)) this.reject(client.conn, 'stale-round', `round ${msg.roundId} is not running secure aggregation`, msg.roundId);
      return;
    }
    this.pendingWork++;
    phase.secure
      .accept(client.clientId, msg.payload)
      .finally(() => {
        if (--this.pendingWork === 0) this.idleListeners.forEach((l) => l());
      })
      .catch((err: unknown) => {
      if (err instanceof SecAggError && err.code === 'INVALID_STATE' && msg.payload.kind === 'secagg/advertise-keys') {
        this.logger.debug({ client: client.clientId, roundId: msg.roundId }, 'late keys of an over-selected client ignored');
        return;
      }
      const text = err instanceof Error ? err.message : String(err);
      this.reject(client.conn, 'bad-update', `secure aggregation message refused: ${text}`, msg.roundId);
    });
  }

  private onEvaluateResult(client: ConnectedClient, msg: MessageOf<ClientMessage, 'evaluateResult'>): void {
    const round = this.active.get(msg.roundId);
    if (!round || round.phase.kind !== 'evaluate') {
      this.reject(client.conn, 'stale-round', `round ${msg.roundId} is not collecting evaluations`, msg.roundId);
      return;
    }
    const expected = this.runtime(round.task).spec.loss === 'binaryCrossentropy' ? 'binary' : 'regression';
    if (msg.summary.kind !== expected) {
      round.phase.collector.drop(client.clientId);
      this.reject(client.conn, 'malformed', `evaluation of ${round.task} must be a ${expected} summary`, msg.roundId);
      return;
    }
    if (msg.summary.kind === 'binary' && sum(msg.summary.positives) + sum(msg.summary.negatives) !== msg.numExamples) {
      round.phase.collector.drop(client.clientId);
      this.reject(client.conn, 'malformed', 'histogram counts do not add up to numExamples', msg.roundId);
      return;
    }
    const outcome = round.phase.collector.accept(client.clientId, { numExamples: msg.numExamples, sumLoss: msg.sumLoss, summary: msg.summary });
    if (outcome !== 'accepted') this.reject(client.conn, 'unexpected', `evaluation for ${msg.roundId} not accepted: ${outcome}`, msg.roundId);
  }

  private onDisconnect(conn: Connection, reason: string): void {
    this.connections.delete(conn.id);
    const client = this.registry.remove(conn.id);
    if (!client) return;
    this.logger.info({ client: client.clientId, reason }, 'client left');
    if (client.busyWith) this.dropFromRound(client.busyWith, client.clientId);
  }

  private reject(conn: Connection, code: ErrorCode, message: string, roundId?: string): void {
    this.logger.warn({ conn: conn.id, client: this.registry.byConnection(conn.id)?.clientId, code, roundId }, message);
    this.send(conn, { type: 'error', code, message: message.slice(0, 500), ...(roundId ? { roundId } : {}) });
  }

  private send(conn: Connection, msg: ServerMessageInput): void {
    conn.send(encodeMessage(msg));
  }

  /** One encoding for a message many clients receive (weights, rosters): it is the same bytes for all. */
  private sendToClients(clientIds: Iterable<string>, msg: ServerMessageInput): void {
    const bytes = encodeMessage(msg);
    for (const id of clientIds) this.registry.byId(id)?.conn.send(bytes);
  }

  private emit(e: RoundEvent): void {
    for (const l of this.listeners) l(e);
  }

  private runtime(task: TaskId): TaskRuntime {
    const t = this.tasks.get(task);
    if (!t) throw new Error(`unknown task "${task}"`);
    return t;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function randomSeed(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function randomSuffix(): string {
  return [...globalThis.crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
