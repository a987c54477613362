import { createStrategy } from '@huddle/shared/aggregation';
import { secureRandom } from '@huddle/shared/privacy';
import { encodeWeights, modelSpec, parameterCount, type ModelSpec, type TaskId } from '@huddle/shared/modelCore';
import { familyStrategy, taskModelRuntime } from './taskModel.ts';
import { checkpointStateOf, readCheckpointState } from './checkpointState.ts';
import { modelChecksum, type ServerTransport, type TaskConfig } from '@huddle/shared/protocol';
import type { PeerIdentity } from '@huddle/shared/secagg';
import { silentLogger, type Logger } from '@huddle/shared/util';
import type { CoordinatorStore } from '../store/store.ts';
import { openAuthenticator, type ClientAuthenticator } from './authenticator.ts';
import { ClientRegistry } from './clientRegistry.ts';
import { systemClock, type Clock } from './clock.ts';
import { ClientGateway } from './gateway/clientGateway.ts';
import type { GatewayEvent, GatewayTap } from './gateway/gatewayEvents.ts';
import { CRASHED_ROUND_REASON, type PublishedEvaluation, type RoundRecord } from './roundRecord.ts';
import { RoundRunner } from './rounds/roundRunner.ts';
import type { RoundEvent, TaskRuntime } from './rounds/taskRuntime.ts';
import type { RandomSource } from '@huddle/shared/privacy';
import type { CohortPort } from './workflows/cohorts.ts';
import type { TwinPriorConfigInput } from '@huddle/shared/protocol';
import type { PublishedPrior } from '@huddle/shared/twin';
import { TwinPriorRounds, type TwinPriorRound } from './prior/twinPriorRounds.ts';
import { selectionRandom } from './selection.ts';

export type { RoundEvent } from './rounds/taskRuntime.ts';
export type { GatewayEvent, GatewayTap, RoundMessage } from './gateway/gatewayEvents.ts';

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
  /** A hook on joined clients' typed traffic (the simulator's faults); none in a deployment. */
  tap?: GatewayTap;
  /** An auditor's countersignature of a client's enrollment key (countersignEnrollment), relayed in secure rosters. */
  countersignatureOf?: (clientId: string) => Uint8Array | null;
  /** Scale-out: hierarchical aggregation, each node fitting over the cohort of clients it holds (docs/scale-out.md). */
  cohorts?: CohortPort;
  /** Called as a round begins, before any client is asked (a cluster leader compacts its heap there). */
  beforeRound?: (task: TaskId) => void;
}

/**
 * Hosts tasks and runs their federated rounds over any ServerTransport: the client gateway turns
 * bytes into typed events, the round runner drives each round's workflows. Knows nothing of sockets.
 */
export class Coordinator {
  readonly registry = new ClientRegistry();
  private readonly tasks = new Map<TaskId, TaskRuntime>();
  private readonly listeners = new Set<(e: RoundEvent) => void>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  /** Client ids seen since start: the population for the sampling rate when none is configured. */
  private readonly knownClients = new Set<string>();
  /** Enrollment keys of joined clients (enrolled federations), for the secure-aggregation roster. */
  private readonly enrollmentKeys = new Map<string, Uint8Array>();
  private readonly gateway: ClientGateway;
  private readonly runner: RoundRunner;
  /** Rounds found open at start (cut short by a crash): told to every client that joins. */
  private readonly abandonedByCrash: string[] = [];
  private readonly priorRounds: TwinPriorRounds;
  /** The store's published prior and prior rounds, read at start and kept up to date as rounds are recorded. */
  private publishedPrior: PublishedPrior | null;
  private priorRunning = false;
  private readonly priorHistory: TwinPriorRound[];

  constructor(private readonly options: CoordinatorOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    const auth = options.authenticator ?? openAuthenticator;
    for (const config of options.tasks) this.tasks.set(config.task, this.loadTask(config));
    for (const open of options.store.recoverOpenRounds()) {
      if (!this.tasks.has(open.task)) continue;
      const now = new Date(this.clock.now()).toISOString();
      const { task, round, roundId, startedAt, selected, secureAggregation } = open;
      const record: RoundRecord = { task, round, roundId, startedAt, status: 'abandoned', reason: CRASHED_ROUND_REASON, endedAt: now, selected, reported: [], dropped: selected, numExamples: 0, trainLoss: null, metrics: null, privacy: null, secureAggregation };
      options.store.commitRound(record, null);
      this.abandonedByCrash.push(open.roundId);
      this.logger.warn({ task: open.task, round: open.round, roundId: open.roundId }, 'recorded a round interrupted by a restart as abandoned');
    }
    this.gateway = new ClientGateway({
      registry: this.registry,
      auth,
      logger: this.logger,
      ...(options.maxMessageBytes !== undefined ? { maxMessageBytes: options.maxMessageBytes } : {}),
      ...(options.tap ? { tap: options.tap } : {}),
      hosts: (task) => this.tasks.has(task),
      welcomeTasks: () => [...this.tasks.values()].map((t) => ({ task: t.config.task, featureCount: t.spec.inputSize, parameterCount: parameterCount(t.manifest), round: t.round, model: t.version })),
      abandonedRounds: () => this.abandonedByCrash.slice(-64),
      onEvent: (e) => this.onGatewayEvent(e),
    });
    // The services every round runs on: the model rounds' runner and the twin-prior rounds share them.
    const services = {
      registry: this.registry,
      gateway: this.gateway,
      store: options.store,
      auth,
      clock: this.clock,
      logger: this.logger,
      random: options.random ?? secureRandom,
      identityOf: (id: string): PeerIdentity | null => {
        const key = this.enrollmentKeys.get(id);
        const auditorSignature = this.options.countersignatureOf?.(id) ?? undefined;
        return key ? { enrollmentPublicKey: key, ...(auditorSignature ? { auditorSignature } : {}) } : null;
      },
    };
    const population = (config: TaskConfig): number =>
      config.privacy.population ?? this.options.populationOf?.(config.task) ?? Math.max(this.registry.optedIn(config.task).length, this.knownClients.size);
    this.runner = new RoundRunner({
      ...services,
      ...(options.selectionSeed !== undefined ? { selectionSeed: options.selectionSeed } : {}),
      population: (t) => population(t.config),
      emit: (e) => this.emit(e),
      ...(options.cohorts ? { cohorts: options.cohorts } : {}),
    });
    this.publishedPrior = options.store.loadTwinPrior();
    this.priorHistory = options.store.twinPriorRounds();
    this.priorRounds = new TwinPriorRounds({
      ...services,
      selectionRandom: selectionRandom(secureRandom, options.selectionSeed),
      hostConfig: (task) => this.runtime(task).config,
      population: (task) => population(this.runtime(task).config),
      host: (roundId, workflow) => this.runner.hostStatistic(roundId, workflow),
      unhost: (roundId) => this.runner.endStatistic(roundId),
      recorded: (round, prior) => {
        this.priorHistory.push(round);
        if (prior) this.publishedPrior = prior;
      },
    });
  }

  /** The twin prior the federation last published (docs/planning.md); null before the first. */
  twinPrior(): PublishedPrior | null {
    return this.publishedPrior;
  }

  /** The twin-prior rounds the store holds, oldest first. */
  twinPriorHistory(): TwinPriorRound[] {
    return [...this.priorHistory];
  }

  /**
   * Runs the twin-prior task: its EM rounds over the host task's idle opted-in devices, starting from the published
   * prior (or the built-in one). Resolves with the prior published at the end and every round's record.
   */
  async learnTwinPrior(config: TwinPriorConfigInput): Promise<{ published: PublishedPrior | null; rounds: TwinPriorRound[] }> {
    if (this.priorRunning) throw new Error('the twin-prior task is already running');
    this.runtime(config.task ?? 'readiness');
    this.priorRunning = true;
    try {
      return await this.priorRounds.run(config, this.publishedPrior);
    } finally {
      this.priorRunning = false;
    }
  }

  async attach(transport: ServerTransport): Promise<void> {
    await this.gateway.attach(transport);
  }

  async close(): Promise<void> {
    this.runner.closeAll();
    await this.gateway.close();
    this.options.store.close();
  }

  /** True while a received message is still being processed; a simulator's virtual clock must not jump then. */
  get busy(): boolean {
    return this.runner.busy;
  }

  /** Called whenever the last in-flight message finishes processing. */
  onIdle(listener: () => void): () => void {
    return this.runner.onIdle(listener);
  }

  on(listener: (e: RoundEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  taskIds(): TaskId[] {
    return [...this.tasks.keys()];
  }

  taskState(task: TaskId): { config: TaskConfig; round: number; weights: Float32Array; spec: ModelSpec; running: boolean; published: PublishedEvaluation | null; complete: boolean } {
    const t = this.runtime(task);
    return { config: t.config, round: t.round, weights: t.weights, spec: t.spec, running: t.running, published: t.published, complete: t.model.complete(t.weights) };
  }

  /** Replaces a task's settings from its next round on (the model architecture is fixed per task). */
  updateTaskConfig(task: TaskId, config: TaskConfig): void {
    const t = this.runtime(task);
    if (config.task !== task) throw new Error(`settings for ${config.task} cannot be applied to ${task}`);
    const model = t.model.withSettings(config);
    const same = config.strategy === t.config.strategy && JSON.stringify(config.strategyOptions) === JSON.stringify(t.config.strategyOptions);
    const strategy = familyStrategy(same ? t.strategy : createStrategy({ name: config.strategy, ...config.strategyOptions, secureAggregation: config.secureAggregation.enabled }), model);
    if (same && config.secureAggregation.enabled && strategy.aggregator.needsIndividualUpdates) {
      throw new Error(`strategy ${config.strategy} needs each client's update and cannot run under secure aggregation`);
    }
    if (config.fit.clipNorm !== t.config.fit.clipNorm) t.clip = config.fit.clipNorm;
    t.config = config;
    t.model = model;
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
      this.options.beforeRound?.(task);
      return await this.runner.run(t);
    } finally {
      t.running = false;
    }
  }

  private loadTask(config: TaskConfig): TaskRuntime {
    const { store, featureCount } = this.options;
    const spec = modelSpec(config.task, featureCount);
    const model = taskModelRuntime(config, spec);
    const strategy = familyStrategy(createStrategy({ name: config.strategy, ...config.strategyOptions, secureAggregation: config.secureAggregation.enabled }), model);
    let checkpoint = store.loadCheckpoint(config.task);
    if (!checkpoint) {
      checkpoint = { task: config.task, round: 0, weights: model.init(config.modelSeed), optimizerState: checkpointStateOf({ strategy, clip: config.fit.clipNorm, model, pass: new Set() }) };
      store.initCheckpoint(checkpoint);
    }
    checkpoint = { ...checkpoint, weights: model.resume(checkpoint.weights) };
    const manifest = model.manifest;
    if (checkpoint.weights.length !== parameterCount(manifest)) {
      throw new Error(`checkpoint of ${config.task} has ${checkpoint.weights.length} weights, the model needs ${parameterCount(manifest)}`);
    }
    const saved = readCheckpointState(config.task, checkpoint.optimizerState, config.fit.clipNorm);
    strategy.optimizer.restore(saved.optimizer);
    model.recent.restore(saved.recent);
    this.logger.info({ task: config.task, round: checkpoint.round }, checkpoint.round > 0 ? 'resumed task from checkpoint' : 'initialized task');
    const version = { round: checkpoint.round, checksum: modelChecksum(encodeWeights(checkpoint.weights)) };
    return { config, spec, manifest, model, strategy, round: checkpoint.round, weights: checkpoint.weights, version, running: false, clip: saved.clip, published: checkpoint.published ?? null, pass: new Set(saved.pass) };
  }

  private onGatewayEvent(e: GatewayEvent): void {
    switch (e.type) {
      case 'joined':
        this.knownClients.add(e.client.clientId);
        if (e.enrollmentKey) {
          this.enrollmentKeys.set(e.client.clientId, e.enrollmentKey);
          this.options.cohorts?.joined?.(e.client.clientId, e.enrollmentKey);
        }
        return;
      case 'roundMessage':
        return this.runner.route(e.client, e.message);
      case 'left':
        return this.runner.clientLeft(e.client);
      default: {
        const never: never = e;
        throw new Error(`unhandled gateway event ${(never as { type: string }).type}`);
      }
    }
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
