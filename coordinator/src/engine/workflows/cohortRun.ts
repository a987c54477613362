import type { PeerIdentity } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import { planCohorts } from './cohortPlan.ts';
import type { CohortMember, CohortOrder, CohortPort, CohortResult } from './cohorts.ts';

export interface CohortRunOptions {
  roundId: string;
  /** The step's cohort names end in it ('0' fit, 'e' evaluation): a late fit sum is never taken for an evaluation's. */
  label: string;
  selected: ReadonlySet<string>;
  /** Smallest cohort allowed (the privacy floor under SecAgg). */
  floor: number;
  deadline: number;
  /** How long past the deadline a cohort may still send its sum (its SecAgg phases). */
  graceMs: number;
  /** SecAgg: a cohort whose node fell silent may have unmasked its sum there, so it counts as released. */
  secure: boolean;
  identityOf(clientId: string): PeerIdentity | null;
  /** One cohort's order; `total` is the number of clients in all the step's cohorts. */
  order(cohort: string, members: CohortMember[], total: number, remainingMs: number): CohortOrder;
  port: CohortPort;
  clock: Clock;
  logger: Logger;
}

export type CountedResult = Exclude<CohortResult, { status: 'failed' }>;

/** What a step's cohorts sent: the sums to add (each cohort's once), and why the others did not count. */
export interface CohortSums {
  counted: CountedResult[];
  reported: string[];
  /** Whether anything computed from the clients' data may have been released (a secure sum unmasked, or unheard). */
  released: boolean;
  reasons: string[];
  cohorts: number;
}

/** How often the leader checks that the nodes still owing a cohort sum are alive. */
const LIVENESS_CHECK_MS = 500;

/**
 * The leader's side of one hierarchical step (fit or evaluation): splits the selected clients into cohorts by the
 * node holding their socket (cohortPlan.ts merges those of nodes below the floor), orders each cohort's node to run
 * the step, and collects one sum per cohort: each (node, cohort) counts at most once, a sum naming a client outside
 * its cohort is refused, and the cohort of a node that fell silent is dropped. Nothing here sees an individual update.
 */
export class CohortRun {
  /** The selected clients that belong to a cohort (only they are asked to take part). */
  readonly participants = new Set<string>();
  private readonly cohorts = new Map<string, { node: string; cohort: string; members: Set<string> }>();
  private readonly results = new Map<string, CohortResult>();
  private settle: () => void = () => {};
  private readonly settled: Promise<void>;
  private closed = false;

  constructor(private readonly o: CohortRunOptions) {
    this.settled = new Promise((resolve) => (this.settle = resolve));
    const byNode = new Map<string, CohortMember[]>();
    for (const clientId of o.selected) {
      const where = o.port.locate(clientId);
      if (!where) continue;
      const list = byNode.get(where.node) ?? [];
      list.push({ ...where.member, identity: o.identityOf(clientId) });
      byNode.set(where.node, list);
    }
    const plan = planCohorts(byNode, o.floor, o.port.relay ?? null);
    for (const l of plan.left) o.logger.warn({ roundId: o.roundId, node: l.node, members: l.members, floor: o.floor }, 'cohort below the privacy floor left out of the round (the selected clients together are fewer than the floor)');
    const total = plan.cohorts.reduce((n, c) => n + c.members.length, 0);
    const remainingMs = Math.max(0, o.deadline - o.clock.now());
    for (const { node, members, merged } of plan.cohorts) {
      const cohort = `${node}/${o.label}`;
      if (merged.length > 0) o.logger.info({ roundId: o.roundId, cohort, members: members.length, floor: o.floor, nodes: merged }, 'clients of nodes below the privacy floor merged into one cohort run through the leader\'s relay');
      this.cohorts.set(key(node, cohort), { node, cohort, members: new Set(members.map((m) => m.clientId)) });
      for (const m of members) this.participants.add(m.clientId);
      o.port.dispatch(node, o.order(cohort, members, total, remainingMs));
    }
  }

  /** The number of clients in cohorts, and of cohorts. */
  get size(): { clients: number; cohorts: number } {
    return { clients: this.participants.size, cohorts: this.cohorts.size };
  }

  close(): void {
    this.closed = true;
    this.settle();
  }

  async run(): Promise<CohortSums> {
    const unsubscribe = this.o.port.subscribe(this.o.roundId, (node, cohort, result) => this.onResult(node, cohort, result));
    const hardStop = this.o.deadline + this.o.graceMs + 2_000;
    const check = (): void => {
      if (this.closed || this.pending().length === 0) return this.settle();
      for (const k of this.pending()) {
        const c = this.cohorts.get(k)!;
        if (!this.o.port.alive(c.node)) {
          this.o.logger.warn({ roundId: this.o.roundId, node: c.node, cohort: c.cohort }, 'a cohort\'s node fell silent before sending its sum: its cohort is dropped');
          this.results.set(k, { status: 'failed', reason: `node ${c.node} fell silent`, reported: [], released: this.o.secure });
        }
      }
      if (this.pending().length === 0 || this.o.clock.now() >= hardStop) return this.settle();
      this.o.clock.setTimer(LIVENESS_CHECK_MS, check);
    };
    check();
    await this.settled;
    unsubscribe();
    // A cohort still running (dropped, or past the deadline) must not keep this round's messages.
    for (const [k, c] of this.cohorts) if (!this.results.has(k) || this.results.get(k)!.status === 'failed') this.o.port.release(c.node, this.o.roundId, c.cohort);
    const counted = [...this.results.values()].filter((r): r is CountedResult => r.status !== 'failed');
    // A cohort never heard from may have unmasked its sum on its node (SecAgg): counted as released.
    const unheard = this.pending().length > 0 && this.o.secure;
    return {
      counted,
      reported: counted.flatMap((r) => r.reported),
      released: unheard || [...this.results.values()].some((r) => r.status === 'secure' || (r.status === 'failed' && r.released)),
      reasons: [...this.results.values()].flatMap((r) => (r.status === 'failed' ? [r.reason] : [])),
      cohorts: this.cohorts.size,
    };
  }

  private pending(): string[] {
    return [...this.cohorts.keys()].filter((k) => !this.results.has(k));
  }

  private onResult(node: string, cohort: string, result: CohortResult): void {
    const k = key(node, cohort);
    const c = this.cohorts.get(k);
    if (!c) return this.o.logger.warn({ roundId: this.o.roundId, node, cohort }, 'cohort sum for a cohort this step did not order: ignored');
    if (this.results.has(k)) return this.o.logger.debug({ roundId: this.o.roundId, node, cohort }, 'cohort sum received again: counted once');
    const stranger = result.reported.find((id) => !c.members.has(id));
    if (stranger !== undefined) {
      this.o.logger.warn({ roundId: this.o.roundId, node, cohort }, 'cohort sum names a client outside its cohort: refused');
      this.results.set(k, { status: 'failed', reason: `cohort ${cohort} named a client outside it`, reported: [], released: result.status !== 'failed' || result.released });
    } else this.results.set(k, result);
    if (this.pending().length === 0) this.settle();
  }
}

/** The cohorts' unmasked SecAgg sums added in Z/2^32: the one SecAgg sum over all their survivors. Null: a sum is not of that encoding. */
export function addSecureSums(counted: readonly CountedResult[], length: number): Uint32Array | null {
  const total = new Uint32Array(length);
  for (const r of counted) {
    if (r.status !== 'secure' || r.sum.length !== length) return null;
    for (let i = 0; i < length; i++) total[i] = (total[i]! + r.sum[i]!) >>> 0;
  }
  return total;
}

function key(node: string, cohort: string): string {
  return `${node}\u0000${cohort}`;
}
