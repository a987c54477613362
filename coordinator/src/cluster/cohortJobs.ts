import { decodeClientMessage, decodeEnvelope, encodeMessage, type Connection, type ErrorCode, type ServerMessageInput } from '@huddle/shared/protocol';
import { secureRandom } from '@huddle/shared/privacy';
import { StrikeLedger } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import { verifySignedMessage } from '../auth/clientVerifier.ts';
import { warmEd25519Key } from '../auth/ed25519.ts';
import { ClientRegistry, type ConnectedClient } from '../engine/clientRegistry.ts';
import type { Clock } from '../engine/clock.ts';
import type { CohortOrder, CohortResult } from '../engine/workflows/cohorts.ts';
import { EvaluateWorkflow } from '../engine/workflows/evaluate.ts';
import { PlainFitWorkflow } from '../engine/workflows/plainFit.ts';
import { SecureEvaluateWorkflow } from '../engine/workflows/secureEvaluate.ts';
import { SecureFitWorkflow } from '../engine/workflows/secureFit.ts';
import { CohortRunningSum } from './cohortRunningSum.ts';

export interface CohortJobsOptions {
  node: string;
  clock: Clock;
  logger: Logger;
  /** Sends protocol bytes to one of this node's sockets (dropped when it is gone). */
  send(sid: string, bytes: Uint8Array): void;
  /** Sends a cohort's result to the leader; called again until `acknowledge`. */
  publish(roundId: string, cohort: string, result: CohortResult): void;
  resendMs?: number;
  resendAttempts?: number;
}

interface Member {
  client: ConnectedClient;
  nonce: Uint8Array | null;
  publicKey: Uint8Array | null;
  lastSeq: number;
}

interface Job {
  order: CohortOrder;
  members: Map<string, Member>;
  workflow: PlainFitWorkflow | SecureFitWorkflow | EvaluateWorkflow | SecureEvaluateWorkflow;
  resend: (() => void) | null;
}

/**
 * A node's side of hierarchical aggregation: for each cohort the leader orders, the engine's own fit
 * workflow (plain or SecAgg) runs here over the cohort's sockets, which this node holds. Their round
 * messages for that round stop here (checked like the gateway checks them: signature over the
 * connection's nonce, growing sequence numbers, the protocol schemas); every other frame still goes to
 * the leader untouched. The node sends the leader only the cohort's sum.
 */
export class CohortJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly bySid = new Map<string, Job>();
  /** Per task, the clients caught cheating in this node's cohorts. */
  private readonly strikes = new Map<string, StrikeLedger>();
  private pendingWork = 0;

  constructor(private readonly o: CohortJobsOptions) {}

  get active(): number {
    return this.jobs.size;
  }

  get busy(): boolean {
    return this.pendingWork > 0;
  }

  start(order: CohortOrder): void {
    const id = jobKey(order.roundId, order.cohort);
    if (this.jobs.has(id)) return;
    const registry = new ClientRegistry();
    const members = new Map<string, Member>();
    for (const m of order.members) {
      const conn = this.connection(m.conn);
      members.set(m.conn, { client: registry.register(conn, m.clientId, [order.task]), nonce: m.nonce, publicKey: m.publicKey, lastSeq: 0 });
    }
    const selected = new Set(order.members.map((m) => m.clientId));
    const deadline = this.o.clock.now() + order.remainingMs;
    const io = { reject: (conn: Connection, code: ErrorCode, message: string, roundId?: string) => this.reject(conn, code, message, roundId) };
    const common = { roundId: order.roundId, selected, target: order.target, minClients: order.minSurvivors, deadline, clip: order.clip, clock: this.o.clock, io };
    const identities = new Map(order.members.map((m) => [m.clientId, m.identity]));
    const broadcast = (ids: Iterable<string>, payload: Record<string, unknown>): void => {
      const bytes = encodeMessage({ type: 'secagg', roundId: order.roundId, payload });
      for (const id of ids) {
        const client = registry.byId(id);
        if (client) client.conn.send(bytes);
      }
    };
    const secure = order.secure
      ? { ...common, encoding: order.secure.encoding, neighbours: order.secure.neighbours, threshold: order.secure.threshold, phaseTimeoutMs: order.secure.phaseTimeoutMs, identityOf: (id: string) => identities.get(id) ?? null, strikes: this.strikesFor(order.task, order.secure.maxStrikes), logger: this.o.logger, broadcast }
      : null;
    let workflow: Job['workflow'];
    if (order.evaluate) {
      const { expected, model } = order.evaluate;
      // Only the cohort's undecoded sum is taken (sum()): the leader decodes and noises the total over all cohorts.
      workflow = secure
        ? new SecureEvaluateWorkflow({ ...secure, task: order.task, expected, noise: 'none', noiseMultiplier: 0, random: secureRandom })
        : new EvaluateWorkflow({ ...common, task: order.task, expected, model, centralNoise: null });
    } else if (secure) {
      workflow = new SecureFitWorkflow(secure);
    } else if (order.plain) {
      const weighting = order.plain.weighting;
      workflow = new PlainFitWorkflow({ ...common, manifest: order.plain.manifest, strategy: { running: new CohortRunningSum(weighting) }, onAccepted: () => {} });
    } else {
      this.o.logger.warn({ roundId: order.roundId, cohort: order.cohort }, 'cohort order with neither a plain nor a secure fit: refused');
      return;
    }
    const job: Job = { order, members, workflow, resend: null };
    this.jobs.set(id, job);
    for (const sid of members.keys()) this.bySid.set(sid, job);
    this.o.logger.info({ node: this.o.node, roundId: order.roundId, cohort: order.cohort, members: members.size, secure: !!order.secure }, order.evaluate ? 'cohort evaluation started' : 'cohort fit started');
    void this.finish(job);
  }

  /** Enrollment keys of clients that joined on this node, imported before any round orders them into a cohort. */
  prepare(keys: readonly Uint8Array[]): void {
    for (const key of keys) warmEd25519Key(key);
  }

  /** True when the frame was one of a cohort member's round messages and was handled here. */
  intercept(sid: string, bytes: Uint8Array | null): boolean {
    const job = this.bySid.get(sid);
    if (!job || bytes === null) return false;
    const envelope = decodeEnvelope(bytes);
    if (!envelope.ok) return false;
    const decoded = decodeClientMessage(envelope.message.body);
    if (!decoded.ok) return false;
    const msg = decoded.message;
    if ((msg.type !== 'fitResult' && msg.type !== 'secagg' && msg.type !== 'evaluateResult' && msg.type !== 'decline') || msg.roundId !== job.order.roundId) return false;
    const member = job.members.get(sid)!;
    const state = { publicKey: member.publicKey, nonce: member.nonce ?? new Uint8Array(0), lastSeq: member.lastSeq };
    if (member.publicKey) {
      const verdict = verifySignedMessage(state, envelope.message);
      if (!verdict.ok) {
        this.reject(member.client.conn, 'unauthorized', `message refused: ${verdict.reason}`);
        return true;
      }
    } else if (envelope.message.seq <= member.lastSeq) {
      this.reject(member.client.conn, 'unauthorized', `message sequence ${envelope.message.seq} was already used on this connection (replay refused)`);
      return true;
    }
    member.lastSeq = envelope.message.seq;
    const w = job.workflow;
    switch (msg.type) {
      case 'decline':
        w.drop(member.client.clientId);
        return true;
      case 'fitResult':
        if (w.kind === 'plainFit' && w.collecting) w.onFitResult(member.client, msg);
        else this.reject(member.client.conn, 'stale-round', `round ${msg.roundId} is not collecting updates`, msg.roundId);
        return true;
      case 'secagg':
        if (w.kind === 'secureFit' || w.kind === 'secureEvaluate') this.track(w.onSecAgg(member.client, msg));
        else this.reject(member.client.conn, 'stale-round', `round ${msg.roundId} is not running secure aggregation`, msg.roundId);
        return true;
      case 'evaluateResult':
        if (w.kind === 'evaluate') w.onEvaluateResult(member.client, msg);
        else this.reject(member.client.conn, 'stale-round', `round ${msg.roundId} is not collecting evaluations`, msg.roundId);
        return true;
      default: {
        const never: never = msg;
        throw new Error(`unhandled round message ${(never as { type: string }).type}`);
      }
    }
  }

  /** A socket of this node closed: its client drops out of its cohort. */
  left(sid: string): void {
    const job = this.bySid.get(sid);
    if (job) job.workflow.drop(job.members.get(sid)!.client.clientId);
  }

  /** The leader has the cohort's sum, or no longer waits for it: stop resending, and stop the fit if still running. */
  acknowledge(roundId: string, cohort: string): void {
    const job = this.jobs.get(jobKey(roundId, cohort));
    if (!job) return;
    job.resend?.();
    this.jobs.delete(jobKey(roundId, cohort));
    job.workflow.close();
    for (const sid of job.members.keys()) if (this.bySid.get(sid) === job) this.bySid.delete(sid);
  }

  close(): void {
    for (const job of this.jobs.values()) {
      job.workflow.close();
      job.resend?.();
    }
    this.jobs.clear();
    this.bySid.clear();
  }

  private async finish(job: Job): Promise<void> {
    const { order } = job;
    let result: CohortResult;
    try {
      result = await this.result(job);
    } catch (err) {
      result = { status: 'failed', reason: `cohort fit failed: ${err instanceof Error ? err.message : String(err)}`, reported: [], released: false };
    }
    for (const sid of job.members.keys()) if (this.bySid.get(sid) === job) this.bySid.delete(sid);
    if (!this.jobs.has(jobKey(order.roundId, order.cohort))) return;
    this.o.logger.info({ node: this.o.node, roundId: order.roundId, cohort: order.cohort, status: result.status, reported: result.reported.length }, 'cohort sum ready');
    const attempts = this.o.resendAttempts ?? 30;
    let sent = 0;
    const send = (): void => {
      if (!this.jobs.has(jobKey(order.roundId, order.cohort))) return;
      this.o.publish(order.roundId, order.cohort, result);
      if (++sent < attempts) job.resend = this.o.clock.setTimer(this.o.resendMs ?? 1_000, send);
      else this.jobs.delete(jobKey(order.roundId, order.cohort));
    };
    send();
  }

  private async result(job: Job): Promise<CohortResult> {
    const w = job.workflow;
    if (w.kind === 'secureFit' || w.kind === 'secureEvaluate') {
      const r = await w.sum();
      return r.ok ? { status: 'secure', reported: r.survivors, sum: r.sum } : { status: 'failed', reason: r.reason, reported: r.survivors, released: r.released };
    }
    if (w.kind === 'evaluate') return { status: 'evaluation', ...(await w.sum()) };
    const r = await w.run();
    if (!r.ok) return { status: 'failed', reason: r.reason, reported: r.reported, released: r.released };
    return { status: 'plain', reported: r.reported, sum: r.fit.sum, weight: r.fit.weight, numExamples: r.fit.stats.numExamples, trainLoss: r.fit.stats.trainLoss, clipBits: r.fit.stats.clipBits };
  }

  private strikesFor(task: string, cap: number): StrikeLedger {
    let ledger = this.strikes.get(task);
    if (!ledger) this.strikes.set(task, (ledger = new StrikeLedger(cap)));
    return ledger;
  }

  private connection(sid: string): Connection {
    return { id: sid, send: (bytes) => this.o.send(sid, bytes), close: () => {} };
  }

  private reject(conn: Connection, code: ErrorCode, message: string, roundId?: string): void {
    this.o.logger.warn({ node: this.o.node, conn: conn.id, code, roundId }, message);
    const msg: ServerMessageInput = { type: 'error', code, message: message.slice(0, 500), ...(roundId ? { roundId } : {}) };
    conn.send(encodeMessage(msg));
  }

  private track(work: Promise<void>): void {
    this.pendingWork++;
    void work.finally(() => this.pendingWork--);
  }
}

function jobKey(roundId: string, cohort: string): string {
  return `${roundId}\u0000${cohort}`;
}
