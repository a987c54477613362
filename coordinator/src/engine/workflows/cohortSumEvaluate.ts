import { evaluationVectorLength, sumEvaluationVectors, type EvaluationKind } from '@huddle/shared/aggregation';
import type { TaskId } from '@huddle/shared/model';
import type { RandomSource } from '@huddle/shared/privacy';
import type { ModelVersion, SecureFit } from '@huddle/shared/protocol';
import type { PeerIdentity } from '@huddle/shared/secagg';
import type { Logger } from '@huddle/shared/util';
import type { Clock } from '../clock.ts';
import { emptyEvaluation, type EvaluationOutcome } from '../evaluation.ts';
import { addSecureSums, CohortRun, type CohortSums } from './cohortRun.ts';
import type { CohortPort } from './cohorts.ts';
import { plainEvaluationOutcome } from './evaluate.ts';
import type { CentralNoise } from './plainReplies.ts';
import { secureEvaluationOutcome } from './secureEvaluate.ts';

export interface CohortSumEvaluateOptions {
  roundId: string;
  task: TaskId;
  selected: ReadonlySet<string>;
  deadline: number;
  expected: EvaluationKind;
  model: ModelVersion;
  /** Plain evaluation: central DP noise the leader adds to the total; null = none. */
  centralNoise: CentralNoise;
  /** Secure evaluation (null = plain): the encoding planned for the whole selection, and the SecAgg settings. */
  secure: {
    encoding: SecureFit;
    noise: 'none' | 'central' | 'distributed';
    noiseMultiplier: number;
    random: RandomSource;
    minClients: number;
    neighbours: number | null;
    threshold: number | null;
    phaseTimeoutMs: number;
    maxStrikes: number;
  } | null;
  identityOf(clientId: string): PeerIdentity | null;
  port: CohortPort;
  clock: Clock;
  logger: Logger;
}

/**
 * The leader's evaluation step under hierarchical aggregation: each cohort's node runs the ordinary evaluate workflow
 * (plain, or SecAgg over the cohort) and sends the sum of its members' evaluation vectors; the leader adds the sums
 * and turns the total into the round's figures with the same code as a single coordinator (noise, decoding, reading).
 */
export class CohortSumEvaluateWorkflow {
  readonly kind = 'cohortEvaluate';
  private readonly cohorts: CohortRun;
  /** Why the sum was not learned, when it was not. */
  failure: string | null = null;
  /** The evaluators counted in a cohort sum (they evaluated the candidate, so they hold it). */
  reported: string[] = [];

  constructor(private readonly o: CohortSumEvaluateOptions) {
    const s = o.secure;
    const floor = s ? Math.max(3, s.minClients) : 1;
    this.cohorts = new CohortRun({
      roundId: o.roundId,
      label: 'e',
      selected: o.selected,
      floor,
      deadline: o.deadline,
      graceMs: s ? 5 * s.phaseTimeoutMs : 0,
      secure: !!s,
      identityOf: o.identityOf,
      port: o.port,
      clock: o.clock,
      logger: o.logger,
      order: (cohort, members, _total, remainingMs) => ({
        roundId: o.roundId,
        cohort,
        task: o.task,
        members,
        target: members.length,
        minSurvivors: floor,
        remainingMs,
        // Unused by an evaluation; the order's schema asks for a positive bound.
        clip: 1,
        plain: null,
        secure: s ? { encoding: s.encoding, neighbours: s.neighbours, threshold: s.threshold, phaseTimeoutMs: s.phaseTimeoutMs, maxStrikes: s.maxStrikes } : null,
        evaluate: { expected: o.expected, model: o.model },
      }),
    });
  }

  /** The selected evaluators that belong to a cohort (only they are asked to evaluate). */
  get participants(): ReadonlySet<string> {
    return this.cohorts.participants;
  }

  drop(): void {
    // A cohort's node sees its own clients leave; the leader has nothing to stop.
  }

  close(): void {
    this.cohorts.close();
  }

  async run(): Promise<EvaluationOutcome> {
    const sums = await this.cohorts.run();
    this.reported = sums.reported;
    const outcome = this.o.secure ? this.secure(sums, this.o.secure) : this.plain(sums);
    if (this.failure) this.o.logger.warn({ task: this.o.task, roundId: this.o.roundId, reason: this.failure }, 'evaluation over cohorts learned nothing');
    return outcome;
  }

  private plain({ counted }: CohortSums): EvaluationOutcome {
    const length = evaluationVectorLength(this.o.expected);
    const vectors: Float64Array[] = [];
    for (const r of counted) {
      if (r.status !== 'evaluation' || r.sum.length !== length || !r.sum.every(Number.isFinite)) {
        this.failure = 'a cohort sent an evaluation sum of another kind, length, or with non-finite entries';
        return emptyEvaluation();
      }
      vectors.push(r.sum);
    }
    return plainEvaluationOutcome(this.o.expected, sumEvaluationVectors(this.o.expected, vectors), this.o.centralNoise);
  }

  private secure({ counted, reported, reasons }: CohortSums, s: NonNullable<CohortSumEvaluateOptions['secure']>): EvaluationOutcome {
    if (counted.length === 0) {
      this.failure = `no cohort's secure evaluation completed${reasons.length ? ` (${reasons.join('; ').slice(0, 300)})` : ''}`;
      return emptyEvaluation();
    }
    const total = addSecureSums(counted, s.encoding.vectorLength);
    if (!total) {
      this.failure = 'a cohort sum does not match the evaluation\'s secure encoding';
      return emptyEvaluation();
    }
    return secureEvaluationOutcome({ expected: this.o.expected, ...s }, total, reported.length);
  }
}
