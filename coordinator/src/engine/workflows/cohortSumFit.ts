import type { WeightEntry, TaskId } from '@huddle/shared/model';
import type { SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import { addSecureSums, CohortRun, type CohortSums } from './cohortRun.ts';
import type { CohortPort } from './cohorts.ts';
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

/**
 * The leader's "sum of cohort sums" fit step (cohortRun.ts forms the cohorts and collects their sums). Each cohort's
 * node runs the ordinary plain or secure fit workflow over it and sends one sum; the leader decodes only the total.
 * Nothing here sees an individual update.
 */
export class CohortSumFitWorkflow {
  readonly kind = 'cohortFit';
  private readonly cohorts: CohortRun;

  constructor(private readonly o: CohortSumFitOptions) {
    const floor = o.secure ? Math.max(3, o.minClients) : 1;
    this.cohorts = new CohortRun({
      roundId: o.roundId,
      label: '0',
      selected: o.selected,
      floor,
      deadline: o.deadline,
      graceMs: o.secure ? 5 * o.secure.phaseTimeoutMs : 0,
      secure: !!o.secure,
      identityOf: o.identityOf,
      port: o.port,
      clock: o.clock,
      logger: o.logger,
      order: (cohort, members, total, remainingMs) => {
        const target = Math.min(members.length, Math.max(floor, Math.ceil((o.target * members.length) / total)));
        return { roundId: o.roundId, cohort, task: o.task, members, target, minSurvivors: floor, remainingMs, clip: o.clip, plain: o.plain, secure: o.secure };
      },
    });
    if (o.secure && o.secure.encoding.noiseSigma > 0) {
      // The encoding and the ledger entry were planned for the round's whole selection: one noise over all cohorts.
      o.logger.info({ roundId: o.roundId, ...this.cohorts.size, selected: o.selected.size, noiseSigma: o.secure.encoding.noiseSigma }, 'distributed noise sized over all cohorts together (one ledger entry for the round)');
    }
  }

  /** The selected clients that belong to a cohort (only they are asked to train). */
  get participants(): ReadonlySet<string> {
    return this.cohorts.participants;
  }

  drop(): void {
    // A cohort's node sees its own clients leave; the leader has nothing to stop.
  }

  close(): void {
    this.cohorts.close();
  }

  async run(): Promise<FitWorkflowResult> {
    return this.combine(await this.cohorts.run());
  }

  private combine({ counted, reported, released, reasons, cohorts }: CohortSums): FitWorkflowResult {
    if (reported.length < this.o.minClients) {
      return { ok: false, reason: `${reported.length} updates in ${counted.length} of ${cohorts} cohort sums, ${this.o.minClients} needed${reasons.length ? ` (${reasons.join('; ').slice(0, 300)})` : ''}`, reported, released };
    }
    if (this.o.secure) {
      const total = addSecureSums(counted, this.o.secure.encoding.vectorLength);
      if (!total) return { ok: false, reason: 'a cohort sum does not match the round\'s secure encoding', reported, released: true };
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
