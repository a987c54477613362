import type { WeightEntry, TaskId } from '@huddle/shared/model';
import type { SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import type { CohortOrder, CohortPort, CohortResult } from './cohorts.ts';
import { decodeSecureFit } from './secureFit.ts';
import type { FitWorkflowResult } from './workflow.ts';

export interface CohortSumFitOptions {
  roundId: string;
  task: TaskId;
  selected: ReadonlySet<string>;
  target: number;
  minClients: number;
  deadline: number;
  clip: number;
  plain: { manifest: WeightEntry[]; weighting: 'examples' | 'uniform' } | null;
  secure: { encoding: SecureFit; neighbours: number | null; threshold: number | null; phaseTimeoutMs: number; maxStrikes: number } | null;
  identityOf(clientId: string): PeerIdentity | null;
  port: CohortPort;
  clock: Clock;
  logger: Logger;
}

/** How often the leader checks that the nodes still owing a cohort sum are alive. */
const LIVENESS_CHECK_MS = 500;

/**
 * The leader's "sum of cohort sums" fit step. Each selected client belongs to the cohort of the node
 * holding its socket; cohorts below the privacy floor (the task's minClients under SecAgg) are left out
 * before anyone trains. Each cohort's node runs the ordinary plain or secure fit workflow over it and
 * sends one sum; the leader counts each (node, cohort) at most once, drops the cohort of a node that
 * fell silent, and decodes only the total. Nothing here sees an individual update.
 */
export class CohortSumFitWorkflow {
  readonly kind = 'cohortFit';
  /** The selected clients that belong to a cohort (only they are asked to train). */
  readonly participants = new Set<string>();
  private readonly cohorts = new Map<string, { node: string; members: Set<string> }>();
  private readonly results = new Map<string, CohortResult>();
  private settle: () => void = () => {};
  private readonly settled: Promise<void>;
  private closed = false;

  constructor(private readonly o: CohortSumFitOptions) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
    const floor = o.secure ? Math.max(3, o.minClients) : 1;
    const byNode = new Map<string, CohortOrder['members']>();
    for (const clientId of o.selected) {
      const where = o.port.locate(clientId);
      if (!where) continue;
      const list = byNode.get(where.node) ?? [];
      list.push({ ...where.member, identity: o.identityOf(clientId) });
      byNode.set(where.node, list);
    }
    const eligible = [...byNode].filter(([node, members]) => {
      if (members.length >= floor) return true;
      o.logger.warn({ roundId: o.roundId, node, members: members.length, floor }, 'cohort below the privacy floor left out of the round');
      return false;
    });
    const total = eligible.reduce((n, [, m]) => n + m.length, 0);
    if (o.secure && o.secure.encoding.noiseSigma > 0) {
      // The encoding and the ledger entry were planned for the round's whole selection: one noise over all cohorts.
      o.logger.info({ roundId: o.roundId, cohorts: eligible.length, clients: total, selected: o.selected.size, noiseSigma: o.secure.encoding.noiseSigma }, 'distributed noise sized over all cohorts together (one ledger entry for the round)');
    }
    const remainingMs = Math.max(0, o.deadline - o.clock.now());
    for (const [node, members] of eligible) {
      const cohort = `${node}/0`;
      this.cohorts.set(key(node, cohort), { node, members: new Set(members.map((m) => m.clientId)) });
      for (const m of members) this.participants.add(m.clientId);
      const target = Math.min(members.length, Math.max(floor, Math.ceil((o.target * members.length) / total)));
      o.port.dispatch(node, { roundId: o.roundId, cohort, task: o.task, members, target, minSurvivors: floor, remainingMs, clip: o.clip, plain: o.plain, secure: o.secure });
    }
  }

  drop(): void {
    // A cohort's node sees its own clients leave; the leader has nothing to stop.
  }

  close(): void {
    this.closed = true;
    this.settle();
  }

  async run(): Promise<FitWorkflowResult> {
    const unsubscribe = this.o.port.subscribe(this.o.roundId, (node, cohort, result) => this.onResult(node, cohort, result));
    const phases = this.o.secure ? 5 * this.o.secure.phaseTimeoutMs : 0;
    const hardStop = this.o.deadline + phases + 2_000;
    const check = (): void => {
      if (this.closed || this.pending().length === 0) return this.settle();
      for (const k of this.pending()) {
        const c = this.cohorts.get(k)!;
        if (!this.o.port.alive(c.node)) {
          this.o.logger.warn({ roundId: this.o.roundId, node: c.node }, 'a cohort\'s node fell silent before sending its sum: its cohort is dropped');
          // Under SecAgg the node may have unmasked its cohort's sum before it died: its charge must be kept.
          this.results.set(k, { status: 'failed', reason: `node ${c.node} fell silent`, reported: [], released: !!this.o.secure });
        }
      }
      if (this.pending().length === 0 || this.o.clock.now() >= hardStop) return this.settle();
      this.o.clock.setTimer(LIVENESS_CHECK_MS, check);
    };
    check();
    await this.settled;
    unsubscribe();
    // A cohort still running (dropped, or past the deadline) must not keep this round's messages: evaluation reuses the round id.
    for (const [k, c] of this.cohorts) if (!this.results.has(k) || this.results.get(k)!.status === 'failed') this.o.port.release(c.node, this.o.roundId, cohortOf(k));
    return this.combine();
  }

  private pending(): string[] {
    return [...this.cohorts.keys()].filter((k) => !this.results.has(k));
  }

  private onResult(node: string, cohort: string, result: CohortResult): void {
    const k = key(node, cohort);
    const c = this.cohorts.get(k);
    if (!c || c.node !== node) return this.o.logger.warn({ roundId: this.o.roundId, node, cohort }, 'cohort sum for a cohort this round did not order: ignored');
    if (this.results.has(k)) return this.o.logger.debug({ roundId: this.o.roundId, node, cohort }, 'cohort sum received again: counted once');
    const stranger = result.reported.find((id) => !c.members.has(id));
    if (stranger !== undefined) {
      this.o.logger.warn({ roundId: this.o.roundId, node, cohort }, 'cohort sum names a client outside its cohort: refused');
      this.results.set(k, { status: 'failed', reason: `cohort ${cohort} named a client outside it`, reported: [], released: result.status !== 'failed' || result.released });
    } else this.results.set(k, result);
    if (this.pending().length === 0) this.settle();
  }

  private combine(): FitWorkflowResult {
    const counted = [...this.results.values()].filter((r): r is Exclude<CohortResult, { status: 'failed' }> => r.status !== 'failed');
    const reported = counted.flatMap((r) => r.reported);
    // A cohort never heard from may have unmasked its sum on its node (SecAgg): counted as released.
    const unheard = this.pending().length > 0 && !!this.o.secure;
    const released = unheard || [...this.results.values()].some((r) => r.status === 'secure' || (r.status === 'failed' && r.released));
    if (reported.length < this.o.minClients) {
      const reasons = [...this.results.values()].flatMap((r) => (r.status === 'failed' ? [r.reason] : []));
      return { ok: false, reason: `${reported.length} updates in ${counted.length} of ${this.cohorts.size} cohort sums, ${this.o.minClients} needed${reasons.length ? ` (${reasons.join('; ').slice(0, 300)})` : ''}`, reported, released };
    }
    if (this.o.secure) {
      const length = this.o.secure.encoding.vectorLength;
      const total = new Uint32Array(length);
      for (const r of counted) {
        if (r.status !== 'secure' || r.sum.length !== length) return { ok: false, reason: 'a cohort sum does not match the round\'s secure encoding', reported, released: true };
        for (let i = 0; i < length; i++) total[i] = (total[i]! + r.sum[i]!) >>> 0;
      }
      return decodeSecureFit(total, reported, this.o.secure.encoding, this.o.clip, this.o.logger, this.o.roundId);
    }
    const dim = counted[0]!.sum.length;
    const acc = new Float64Array(dim);
    let weight = 0;
    let numExamples = 0;
    let lossSum = 0;
    let clipBits = 0;
    for (const r of counted) {
      if (r.status !== 'plain' || r.sum.length !== dim) return { ok: false, reason: 'cohort sums of different lengths', reported, released: false };
      if (!r.sum.every(Number.isFinite) || !Number.isFinite(r.weight)) return { ok: false, reason: 'a cohort sum is not finite', reported, released: false };
      for (let i = 0; i < dim; i++) acc[i]! += r.sum[i]!;
      weight += r.weight;
      numExamples += r.numExamples;
      lossSum += r.trainLoss * r.numExamples;
      clipBits += r.clipBits;
    }
    if (!(weight > 0)) return { ok: false, reason: 'the cohorts reported no weight', reported, released: false };
    const mean = Float32Array.from(acc, (v) => v / weight);
    return { ok: true, reported, fit: { sum: mean, weight: 1, stats: { reporters: reported.length, numExamples, trainLoss: lossSum / numExamples, clipBits } } };
  }
}

function key(node: string, cohort: string): string {
  return `${node}\u0000${cohort}`;
}

function cohortOf(k: string): string {
  return k.slice(k.indexOf('\u0000') + 1);
}
