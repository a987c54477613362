import { decodeWeights, encodeWeights, legacyModelSettings, summarizePredictions, type LocalTrainer, type ModelSettings, type TaskId } from '@huddle/shared/model';
import {
  decodeServerMessage,
  encodeEnvelope,
  encodeMessage,
  sealMessage,
  signHello,
  PROTOCOL_VERSION,
  type ClientMessageInput,
  type ClientTransport,
  type MessageOf,
  type ServerMessage,
} from '@huddle/shared/protocol';
import { encodeSecureVector } from '@huddle/shared/aggregation';
import type { RandomSource } from '@huddle/shared/privacy';
import { silentLogger, type Logger } from '@huddle/shared/util';
import type { DataSource } from './dataSource.ts';
import { LocalData } from './localData.ts';
import { clippedContribution, taskModelFor, type TaskModel } from './localFit.ts';
import { SecureSession } from './secureSession.ts';

export const SDK_NAME = 'huddle-client-sdk/0.1';

export interface FederatedClientOptions {
  transport: ClientTransport;
  /** Pseudonymous id issued at enrollment; never the athlete's name or log id. */
  clientId: string;
  data: DataSource;
  tasks: TaskId[];
  trainer: LocalTrainer;
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
}

export type ClientEvent =
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string }
  | { type: 'trained'; task: TaskId; round: number; roundId: string; numExamples: number; trainLoss: number; clipped: boolean }
  | { type: 'evaluated'; task: TaskId; round: number; numExamples: number }
  | { type: 'roundEnd'; task: TaskId; round: number; roundId: string; status: 'completed' | 'abandoned'; counted: boolean }
  | { type: 'declined'; roundId: string; reason: string }
  | { type: 'serverError'; code: string; message: string };

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
  private readonly globals = new Map<TaskId, { round: number; weights: Float32Array; model: TaskModel }>();
  private featureCount: number | null = null;
  private tasks: Set<TaskId>;
  private welcomed: Promise<void>;
  private resolveWelcome!: () => void;
  private chain: Promise<void> = Promise.resolve();
  private nonce: Uint8Array | null = null;
  private readonly sessions = new Map<string, SecureSession>();
  private seq = 0;
  lastContribution: Contribution | null = null;

  constructor(private readonly options: FederatedClientOptions) {
    this.local = new LocalData(options.data, options.testFraction ?? 0.2);
    this.logger = options.logger ?? silentLogger;
    this.tasks = new Set(options.tasks);
    this.welcomed = new Promise((r) => (this.resolveWelcome = r));
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

  /** The latest global model received for a task, if any. */
  globalModel(task: TaskId): { round: number; weights: Float32Array; spec: TaskModel['spec']; model: TaskModel } | null {
    const g = this.globals.get(task);
    return g ? { ...g, spec: g.model.spec } : null;
  }

  /** Prediction of the latest global model for the athlete's latest logged day. */
  async predictLatest(task: TaskId): Promise<{ date: string; value: number } | null> {
    const g = this.globals.get(task);
    const features = await this.local.athleteFeatures();
    if (!g || !features || features.dates.length === 0) return null;
    const last = features.dates.length - 1;
    const f = g.model.spec.inputSize;
    const [value] = g.model.family.predict(g.model.spec, g.model.settings, g.weights, features.x.subarray(last * f, last * f + f), 1);
    return { date: features.dates[last]!, value: value! };
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
          ...(key ? { signature: signHello(key, msg.nonce, this.options.clientId, tasks) } : {}),
        });
        return;
      }
      case 'welcome':
        this.featureCount = msg.tasks[0]?.featureCount ?? null;
        this.logger.info({ tasks: msg.tasks.map((t) => t.task) }, 'joined the federation');
        this.resolveWelcome();
        return;
      case 'fitRequest':
        this.enqueue(() =>
          this.onFit(msg).catch((err: unknown) => {
            this.sessions.delete(msg.roundId);
            this.decline(msg.roundId, 'error');
            throw err;
          }),
        );
        return;
      case 'evaluateRequest':
        this.enqueue(() => this.onEvaluate(msg));
        return;
      case 'secagg':
        this.enqueue(() => this.onSecAgg(msg));
        return;
      case 'roundEnd':
        this.sessions.delete(msg.roundId);
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

  /** Requests are handled one at a time, in arrival order. */
  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((err: unknown) => this.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'round handling failed'));
  }

  private modelFor(task: TaskId, settings: ModelSettings | undefined, parameterBytes: number): TaskModel {
    return taskModelFor(task, settings ?? legacyModelSettings(task), this.featureCount ?? 0, parameterBytes);
  }

  private async onFit(msg: MessageOf<ServerMessage, 'fitRequest'>): Promise<void> {
    if (!this.tasks.has(msg.task)) return this.decline(msg.roundId, 'not-opted-in');
    const model = this.modelFor(msg.task, msg.model, msg.weights.byteLength);
    const global = decodeWeights(msg.weights, model.manifest);
    this.globals.set(msg.task, { round: msg.round - 1, weights: global, model });
    const split = await this.local.split(msg.task);
    if (!split || split.train.n === 0) return this.decline(msg.roundId, 'no-data');
    const result = await clippedContribution(model, global, split.train, msg.config, this.options.trainer);
    const { update, clipped, norm } = result;
    const clipBit = msg.clipBitBound === null ? null : norm <= msg.clipBitBound ? 1 : 0;
    const trainLoss = Number.isFinite(result.loss) ? result.loss : 0;
    if (msg.secure) {
      const session = new SecureSession(msg.roundId, this.options.clientId, encodeSecureVector(update, split.train.n, trainLoss, clipBit, msg.secure, this.options.random), msg.secure, (payload) =>
        this.send({ type: 'secagg', roundId: msg.roundId, payload }),
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
      this.logger.warn({ roundId: msg.roundId, err: err instanceof Error ? err.message : String(err) }, 'left a secure round after a protocol violation');
    }
  }

  private async onEvaluate(msg: MessageOf<ServerMessage, 'evaluateRequest'>): Promise<void> {
    const model = this.modelFor(msg.task, msg.model, msg.weights.byteLength);
    const weights = decodeWeights(msg.weights, model.manifest);
    this.globals.set(msg.task, { round: msg.round, weights, model });
    const split = await this.local.split(msg.task);
    const test = split?.test ?? { x: new Float32Array(0), y: new Float32Array(0), n: 0 };
    const predicted = model.family.predict(model.spec, model.settings, weights, test.x, test.n);
    const evaluation = summarizePredictions(model.spec, predicted, test.y);
    this.send({ type: 'evaluateResult', roundId: msg.roundId, numExamples: evaluation.numExamples, sumLoss: evaluation.sumLoss, summary: evaluation.summary });
    this.emit({ type: 'evaluated', task: msg.task, round: msg.round, numExamples: evaluation.numExamples });
  }

  private decline(roundId: string, reason: 'no-data' | 'not-opted-in' | 'error'): void {
    this.send({ type: 'decline', roundId, reason });
    this.emit({ type: 'declined', roundId, reason });
  }

  private send(msg: ClientMessageInput): void {
    if (!this.nonce) return;
    const envelope = sealMessage(this.options.signingKey ?? null, this.nonce, ++this.seq, encodeMessage(msg));
    this.options.transport.send(encodeEnvelope(envelope));
  }

  private emit(e: ClientEvent): void {
    for (const l of this.listeners) l(e);
  }
}
