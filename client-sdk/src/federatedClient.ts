import { createDeviceTrainer, encodeWeights, legacyModelSettings, type LocalTrainer, type ModelSettings, type ModelSpec, type TaskId } from '@huddle/shared/model';
import {
  decodeServerMessage,
  encodeSealedMessage,
  sameVersion,
  sealMessage,
  signHello,
  PROTOCOL_VERSION,
  type ClientMessageInput,
  type ClientTransport,
  type MessageOf,
  type ModelVersion,
  type PrivacyPolicy,
  type ServerMessage,
  defaultPrivacyPolicy,
  openFederationPolicy,
  privacyPolicySchema,
  weakerTerms,
} from '@huddle/shared/protocol';
import { encodeEvaluationVector, encodeSecureVector, evaluationClip, evaluationExtras, evaluationSecAggId } from '@huddle/shared/aggregation';
import { answerTwinPrior } from './priorRound.ts';
import type { RandomSource } from '@huddle/shared/privacy';
import { silentLogger, type Logger } from '@huddle/shared/util';
import type { DataSource } from './dataSource.ts';
import { LocalData } from './localData.ts';
import { checkEvaluateRequest, checkFitRequest, refusalOf, secAggPolicy, type Refusal, type RefusalCode } from './privacyPolicy.ts';
import { clippedContribution, taskModelFor, type TaskModel } from './localFit.ts';
import { evaluateLocally } from './localEvaluation.ts';
import { SecureSession } from './secureSession.ts';
import { verifiedWeights } from './receivedWeights.ts';

export const SDK_NAME = 'huddle-client-sdk/0.1';

export interface FederatedClientOptions {
  transport: ClientTransport;
  /** Pseudonymous id issued at enrollment; never the athlete's name or log id. */
  clientId: string;
  data: DataSource;
  tasks: TaskId[];
  /** Local training; default the shared fast kernels with tfjs as fallback (`createDeviceTrainer()`). */
  trainer?: LocalTrainer;
  logger?: Logger;
  /** Fraction of the athlete's latest labelled days kept for federated evaluation. */
  testFraction?: number;
  /** Ed25519 secret key registered at enrollment (tweetnacl, 64 bytes); signs every message. */
  signingKey?: Uint8Array;
  /**
   * Randomness for stochastic rounding and distributed DP noise. Simulations may pass a seeded source for
   * reproducible runs; anything real must keep the default CSPRNG, or the noise protects nothing.
   */
  random?: RandomSource;
  /**
   * The privacy terms the athlete consented to when joining (stored with the enrollment). Default: the default
   * policy, or, without a signing key (open federations, nothing to sign with), the same without signatures.
   */
  privacyPolicy?: PrivacyPolicy;
}

/** Round ids remembered to refuse a replayed round (a coordinator re-running an old round's keys). */
const REMEMBERED_ROUNDS = 4096;

export type ClientEvent =
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string }
  | { type: 'trained'; task: TaskId; round: number; roundId: string; numExamples: number; trainLoss: number; clipped: boolean }
  | { type: 'evaluated'; task: TaskId; round: number; numExamples: number }
  | { type: 'roundEnd'; task: TaskId; round: number; roundId: string; status: 'completed' | 'abandoned'; counted: boolean }
  | { type: 'declined'; roundId: string; reason: string }
  /** The device refused a round (or a step of one) that falls outside the athlete's privacy policy. */
  | { type: 'refused'; roundId: string; code: RefusalCode; reason: string }
  /** The federation asks for weaker terms: rounds below the current policy are refused until `consent` is called. */
  | { type: 'consentNeeded'; terms: string[]; proposed: PrivacyPolicy }
  | { type: 'serverError'; code: string; message: string };

/** A global model as the client holds it. */
interface HeldModel {
  version: ModelVersion;
  weights: Float32Array;
  spec: ModelSpec;
  model: TaskModel;
}

export interface Contribution {
  task: TaskId;
  round: number;
  roundId: string;
  at: string;
}

/** One athlete's participation: trains on the local log and sends only clipped weight updates. */
export class FederatedClient {
  private readonly local: LocalData;
  private readonly logger: Logger;
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  /** Adopted models: only ever a committed round's. */
  private readonly globals = new Map<TaskId, HeldModel>();
  /** Candidates received for evaluation, adopted once their round's commit is announced. */
  private readonly candidates = new Map<TaskId, HeldModel>();
  private featureCount: number | null = null;
  private tasks: Set<TaskId>;
  private welcomed: Promise<void>;
  private resolveWelcome!: () => void;
  private chain: Promise<void> = Promise.resolve();
  private nonce: Uint8Array | null = null;
  private readonly sessions = new Map<string, SecureSession>();
  /** Rounds this client was asked into (fit or evaluate) whose end it has not heard of yet. */
  private readonly openRounds = new Map<string, { task: TaskId; round: number }>();
  private seq = 0;
  private policy: PrivacyPolicy;
  private readonly seenRounds = new Set<string>();
  lastContribution: Contribution | null = null;

  private readonly trainer: LocalTrainer;

  constructor(private readonly options: FederatedClientOptions) {
    this.trainer = options.trainer ?? createDeviceTrainer();
    this.local = new LocalData(options.data, options.testFraction ?? 0.2);
    this.logger = options.logger ?? silentLogger;
    this.tasks = new Set(options.tasks);
    this.welcomed = new Promise((r) => (this.resolveWelcome = r));
    this.policy = privacyPolicySchema.parse(options.privacyPolicy ?? (options.signingKey ? defaultPrivacyPolicy() : openFederationPolicy()));
  }

  /** The terms this device currently enforces. */
  get privacyPolicy(): PrivacyPolicy {
    return this.policy;
  }

  /**
   * A policy the federation proposes. Not weaker: adopted at once. Weaker: nothing changes, a 'consentNeeded' event
   * lists how, and rounds keep being held to the current terms until the app calls `consent` after the athlete agrees.
   */
  proposePolicy(proposed: PrivacyPolicy): string[] {
    const p = privacyPolicySchema.parse(proposed);
    const terms = weakerTerms(this.policy, p);
    if (terms.length === 0) this.policy = p;
    else this.emit({ type: 'consentNeeded', terms, proposed: p });
    return terms;
  }

  /** The athlete agreed (again) on the consent screen to exactly these terms. */
  consent(policy: PrivacyPolicy): void {
    this.policy = privacyPolicySchema.parse(policy);
  }

  /** Connects and resolves after the coordinator's welcome. */
  async start(): Promise<void> {
    this.options.transport.open({
      onOpen: () => {
        this.nonce = null;
        this.emit({ type: 'connected' });
      },
      onMessage: (bytes) => this.onMessage(bytes),
      onClose: (reason) => {
        // Anything produced while offline was sealed for a dead connection: drop it rather than replay it.
        this.nonce = null;
        this.emit({ type: 'disconnected', reason });
      },
    });
    await this.welcomed;
  }

  stop(): void {
    this.options.transport.close();
  }

  on(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTasks(tasks: TaskId[]): void {
    this.tasks = new Set(tasks);
    this.send({ type: 'setTasks', tasks });
  }

  /** The latest committed global model this client adopted for a task, if any. */
  globalModel(task: TaskId): { round: number; checksum: string; weights: Float32Array; spec: ModelSpec; model: TaskModel } | null {
    const g = this.globals.get(task);
    return g ? { round: g.version.round, checksum: g.version.checksum, weights: g.weights, spec: g.spec, model: g.model } : null;
  }

  /** Prediction of the latest global model for the athlete's latest logged day; `expected`: its mean forecast, when the model learns one. */
  async predictLatest(task: TaskId): Promise<{ date: string; value: number; expected?: number } | null> {
    const g = this.globals.get(task);
    const latest = await this.local.latestDay();
    if (!g || !latest) return null;
    const x = latest.x.subarray(0, g.model.spec.inputSize);
    const [value] = g.model.family.predict(g.model.spec, g.model.settings, g.weights, x, 1);
    const mean = g.model.family.predictMean(g.model.spec, g.model.settings, g.weights, x, 1);
    return { date: latest.date, value: value!, ...(mean ? { expected: mean[0]! } : {}) };
  }

  private onMessage(bytes: unknown): void {
    const decoded = decodeServerMessage(bytes);
    if (!decoded.ok) {
      this.logger.warn({ error: decoded.error }, 'ignored a malformed coordinator message');
      return;
    }
    const msg = decoded.message;
    switch (msg.type) {
      case 'challenge': {
        this.nonce = msg.nonce;
        this.seq = 0;
        const key = this.options.signingKey;
        const tasks = [...this.tasks];
        this.send({
          type: 'hello',
          protocol: PROTOCOL_VERSION,
          clientId: this.options.clientId,
          tasks,
          sdk: SDK_NAME,
          models: [...this.globals].map(([task, g]) => ({ task, ...g.version })),
          ...(key ? { signature: signHello(key, msg.nonce, this.options.clientId, tasks) } : {}),
        });
        return;
      }
      case 'welcome':
        this.featureCount = msg.tasks[0]?.featureCount ?? null;
        this.reconcile(msg);
        this.logger.info({ tasks: msg.tasks.map((t) => t.task) }, 'joined the federation');
        this.resolveWelcome();
        return;
      case 'fitRequest':
        this.openRounds.set(msg.roundId, { task: msg.task, round: msg.round });
        this.enqueue(() =>
          this.onFit(msg).catch((err: unknown) => {
            this.sessions.delete(msg.roundId);
            this.decline(msg.roundId, 'error');
            throw err;
          }),
        );
        return;
      case 'evaluateRequest':
        this.openRounds.set(msg.roundId, { task: msg.task, round: msg.round });
        this.enqueue(() => this.onEvaluate(msg));
        return;
      case 'statisticRequest':
        this.openRounds.set(msg.roundId, { task: msg.task, round: msg.iteration });
        this.enqueue(() => this.onStatistic(msg));
        return;
      case 'secagg':
        this.enqueue(() => this.onSecAgg(msg));
        return;
      case 'roundEnd':
        this.sessions.delete(msg.roundId);
        this.openRounds.delete(msg.roundId);
        if (msg.status === 'completed' && msg.model) this.adoptCandidate(msg.task, msg.model);
        if (msg.counted) this.lastContribution = { task: msg.task, round: msg.round, roundId: msg.roundId, at: new Date().toISOString() };
        this.emit({ type: 'roundEnd', task: msg.task, round: msg.round, roundId: msg.roundId, status: msg.status, counted: msg.counted });
        return;
      case 'error':
        this.logger.warn({ code: msg.code, roundId: msg.roundId }, msg.message);
        this.emit({ type: 'serverError', code: msg.code, message: msg.message });
        return;
      default: {
        const never: never = msg;
        this.logger.warn({ type: (never as { type: string }).type }, 'unhandled message');
      }
    }
  }

  /**
   * On (re)joining: keep only what the coordinator committed. A model adopted for a round the
   * coordinator does not have committed with that checksum is dropped, a candidate is adopted only
   * if it is the committed model, and secure sessions of the old connection are gone.
   */
  private reconcile(msg: MessageOf<ServerMessage, 'welcome'>): void {
    for (const t of msg.tasks) {
      const g = this.globals.get(t.task);
      if (g && g.version.round >= t.model.round && !sameVersion(g.version, t.model)) {
        this.logger.warn({ task: t.task, held: g.version, committed: t.model }, 'dropped a model the coordinator has not committed');
        this.globals.delete(t.task);
      }
      this.adoptCandidate(t.task, t.model);
      this.candidates.delete(t.task);
    }
    const abandoned = new Set(msg.abandonedRounds);
    for (const [roundId, r] of this.openRounds) {
      if (abandoned.has(roundId)) {
        this.logger.info({ roundId }, 'a round this client was in was abandoned by a coordinator crash; its state is dropped');
        this.emit({ type: 'roundEnd', task: r.task, round: r.round, roundId, status: 'abandoned', counted: false });
      }
    }
    this.sessions.clear();
    this.openRounds.clear();
  }

  private adoptCandidate(task: TaskId, version: ModelVersion): void {
    const c = this.candidates.get(task);
    if (c && sameVersion(c.version, version)) {
      this.globals.set(task, c);
      this.candidates.delete(task);
    }
  }

  /** The model a request means: its weights if sent (checked against the version), else the copy held. */
  private modelFor(task: TaskId, version: ModelVersion, weights: Uint8Array | null, settings: ModelSettings | undefined): HeldModel {
    if (weights) {
      const model = this.taskModelOf(task, settings, weights.byteLength);
      const decoded = verifiedWeights(weights, version.checksum, model.manifest);
      if (!decoded) throw new Error(`weights of ${task} round ${version.round} do not match their checksum`);
      return { version, weights: decoded, spec: model.spec, model };
    }
    for (const held of [this.globals.get(task), this.candidates.get(task)]) if (held && sameVersion(held.version, version)) return held;
    throw new Error(`the coordinator sent no weights for ${task} round ${version.round}, and this client does not hold them`);
  }

  /** Requests are handled one at a time, in arrival order. */
  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((err: unknown) => this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'round handling failed'));
  }

  private taskModelOf(task: TaskId, settings: ModelSettings | undefined, parameterBytes: number): TaskModel {
    return taskModelFor(task, settings ?? legacyModelSettings(task), this.featureCount ?? 0, parameterBytes);
  }

  private async onFit(msg: MessageOf<ServerMessage, 'fitRequest'>): Promise<void> {
    if (!this.tasks.has(msg.task)) return this.decline(msg.roundId, 'not-opted-in');
    const replayed = this.seenRounds.has(msg.roundId);
    this.remember(msg.roundId);
    const refusal: Refusal | null = replayed ? { code: 'round-replayed', reason: `round ${msg.roundId} was already run` } : checkFitRequest(this.policy, msg);
    if (refusal) return this.refuse(msg.roundId, refusal);
    // A fit request trains from the committed model: adopt it.
    const model = this.modelFor(msg.task, msg.model, msg.weights, msg.modelSettings);
    this.globals.set(msg.task, model);
    if ((this.candidates.get(msg.task)?.version.round ?? Infinity) <= msg.model.round) this.candidates.delete(msg.task);
    const { weights: global } = model;
    const taskModel = model.model;
    const split = await this.local.split(msg.task);
    if (!split || split.train.n === 0) return this.decline(msg.roundId, 'no-data');
    const result = await clippedContribution(taskModel, global, split.train, msg.config, this.trainer);
    const { update, clipped, norm } = result;
    const clipBit = msg.clipBitBound === null ? null : norm <= msg.clipBitBound ? 1 : 0;
    const trainLoss = Number.isFinite(result.loss) ? result.loss : 0;
    if (msg.secure) {
      const session = new SecureSession(
        msg.roundId,
        this.options.clientId,
        encodeSecureVector(update, split.train.n, trainLoss, clipBit, msg.secure, this.options.random),
        secAggPolicy(this.policy, msg.secure, msg.config.clipNorm),
        this.options.signingKey,
        (payload) => this.send({ type: 'secagg', roundId: msg.roundId, payload }),
      );
      this.sessions.set(msg.roundId, session);
      await session.start();
    } else {
      this.send({ type: 'fitResult', roundId: msg.roundId, numExamples: split.train.n, update: encodeWeights(update), trainLoss, clipBit });
    }
    this.emit({ type: 'trained', task: msg.task, round: msg.round, roundId: msg.roundId, numExamples: split.train.n, trainLoss: result.loss, clipped });
  }

  private async onSecAgg(msg: MessageOf<ServerMessage, 'secagg'>): Promise<void> {
    const session = this.sessions.get(msg.roundId);
    if (!session) {
      this.logger.warn({ roundId: msg.roundId }, 'secure-aggregation step for a round this client is not in');
      return;
    }
    try {
      if ((await session.onServer(msg.payload)) === 'done') this.sessions.delete(msg.roundId);
    } catch (err) {
      // Fail closed: a protocol violation ends this client's part in the round and reveals nothing further.
      this.sessions.delete(msg.roundId);
      const refusal = refusalOf(err);
      this.logger.warn({ roundId: msg.roundId, code: refusal.code, err: refusal.reason }, 'left a secure round after a protocol violation');
      // Say so, so the coordinator stops waiting for us; the reason (not the details) is all it learns.
      this.send({ type: 'decline', roundId: msg.roundId, reason: refusal.code === 'protocol-violation' ? 'error' : 'policy' });
      this.emit({ type: 'refused', roundId: msg.roundId, ...refusal });
    }
  }

  private async onEvaluate(msg: MessageOf<ServerMessage, 'evaluateRequest'>): Promise<void> {
    const refusal = checkEvaluateRequest(this.policy, msg);
    if (refusal) return this.refuse(msg.roundId, refusal);
    // A candidate: held for evaluation, adopted only when its round's commit is announced.
    const candidate = this.modelFor(msg.task, msg.model, msg.weights, msg.modelSettings);
    this.candidates.set(msg.task, candidate);
    const split = await this.local.split(msg.task);
    const { kind, evaluation, vector } = evaluateLocally(candidate.model, candidate.weights, split, await this.local.dayLabels(), await this.local.logRows());
    if (msg.secure) {
      // The whole vector goes only into the secure sum: the coordinator learns it summed over the survivors.
      const session = new SecureSession(
        evaluationSecAggId(msg.roundId),
        this.options.clientId,
        encodeEvaluationVector(kind, vector, msg.secure, this.options.random),
        secAggPolicy(this.policy, msg.secure, evaluationClip(kind)),
        this.options.signingKey,
        (payload) => this.send({ type: 'secagg', roundId: msg.roundId, payload }),
      );
      this.sessions.set(msg.roundId, session);
      await session.start();
    } else {
      this.send({ type: 'evaluateResult', roundId: msg.roundId, numExamples: evaluation.numExamples, sumLoss: evaluation.sumLoss, summary: evaluation.summary, extras: evaluationExtras(kind, vector), model: msg.model });
    }
    this.emit({ type: 'evaluated', task: msg.task, round: msg.round, numExamples: evaluation.numExamples });
  }

  /** A twin-prior round (priorRound.ts): the twin fitted here, its bounded moments sent plain or into a secure sum. */
  private async onStatistic(msg: MessageOf<ServerMessage, 'statisticRequest'>): Promise<void> {
    if (!this.tasks.has(msg.task)) return this.decline(msg.roundId, 'not-opted-in');
    const replayed = this.seenRounds.has(msg.roundId);
    this.remember(msg.roundId);
    const answer = await answerTwinPrior(msg, { policy: this.policy, replayed, rows: () => this.local.logRows(), clientId: this.options.clientId, signingKey: this.options.signingKey, random: this.options.random, send: (m) => this.send(m) });
    if (answer.kind === 'refused') return this.refuse(msg.roundId, answer.refusal);
    if (answer.kind === 'session') {
      this.sessions.set(msg.roundId, answer.session);
      await answer.session.start();
    }
  }

  private refuse(roundId: string, refusal: Refusal): void {
    this.logger.warn({ roundId, code: refusal.code, reason: refusal.reason }, 'refused a round outside the privacy policy');
    this.send({ type: 'decline', roundId, reason: 'policy' });
    this.emit({ type: 'refused', roundId, ...refusal });
  }

  private remember(roundId: string): void {
    this.seenRounds.add(roundId);
    if (this.seenRounds.size > REMEMBERED_ROUNDS) this.seenRounds.delete(this.seenRounds.values().next().value!);
  }

  private decline(roundId: string, reason: 'no-data' | 'not-opted-in' | 'error'): void {
    this.send({ type: 'decline', roundId, reason });
    this.emit({ type: 'declined', roundId, reason });
  }

  private send(msg: ClientMessageInput): void {
    if (!this.nonce) return;
    const nonce = this.nonce;
    const seq = ++this.seq;
    this.options.transport.send(encodeSealedMessage(msg, (body) => sealMessage(this.options.signingKey ?? null, nonce, seq, body)));
  }

  private emit(e: ClientEvent): void {
    for (const l of this.listeners) l(e);
  }
}
