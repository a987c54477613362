import { concatExamples, taskExamples, temporalSplit, type TaskExamples } from '@huddle/shared/data';
import { buildAthleteFeatures, type AthleteFeatures } from '@huddle/shared/features';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import type { TaskId } from '@huddle/shared/model';
import type { SimDataset } from './dataset.ts';

/**
 * One athlete in the experiment. Federation clients train on `train`; evaluated athletes are scored on
 * `test` (their last testFraction of labelled days) and may use `own` (their earlier days) to personalize.
 */
export interface CohortAthlete {
  athleteId: string;
  clientId: string;
  rows: DailyLogRow[];
  features: AthleteFeatures;
  /** Subgroups for bias audits: sex and sport from the log where known, plus dataset attributes. */
  attributes: Record<string, string>;
  firstDate: string;
  isClient: boolean;
  isEvaluated: boolean;
  /** What this athlete's client trains on (empty when not a client). Equals the client SDK's own split. */
  train: TaskExamples;
  own: TaskExamples;
  test: TaskExamples;
}

export interface Cohort {
  task: TaskId;
  athletes: CohortAthlete[];
  clients: CohortAthlete[];
  evaluated: CohortAthlete[];
  /** The fraction the client SDK holds out of each client's days (0 when clients train on everything). */
  clientTestFraction: number;
}

export interface CohortOptions {
  task: TaskId;
  protocol: 'temporal' | 'unseen';
  testFraction: number;
  holdoutFraction: number;
}

const EMPTY: TaskExamples = { x: new Float32Array(0), y: new Float32Array(0), n: 0, days: [] };

/**
 * temporal: every athlete is a client training on its first days and is tested on its last testFraction.
 * unseen: the last-joined holdoutFraction of athletes (by first log date, then id) never train; the
 * others train on all their days; held-out athletes are tested on their last testFraction of days.
 */
export function buildCohort(data: SimDataset, o: CohortOptions): Cohort {
  const byAthlete = groupByAthlete(data.rows);
  const ids = [...byAthlete.keys()].sort();
  const base = ids.map((athleteId, i) => {
    const rows = byAthlete.get(athleteId)!;
    const features = buildAthleteFeatures(rows);
    return {
      athleteId,
      clientId: `sim-${String(i + 1).padStart(5, '0')}`,
      rows,
      features,
      examples: taskExamples(features, o.task),
      attributes: attributesOf(rows, data.subgroups.get(athleteId)),
      firstDate: rows[0]!.date,
    };
  });
  const heldOut = new Set<string>();
  if (o.protocol === 'unseen') {
    const byJoin = [...base].sort((a, b) => (a.firstDate === b.firstDate ? (a.athleteId < b.athleteId ? -1 : 1) : a.firstDate < b.firstDate ? -1 : 1));
    const count = Math.min(base.length - 1, Math.max(1, Math.round(o.holdoutFraction * base.length)));
    for (const a of byJoin.slice(byJoin.length - count)) heldOut.add(a.athleteId);
  }
  const athletes: CohortAthlete[] = base.map(({ examples, ...a }) => {
    const split = temporalSplit(examples, o.testFraction);
    if (o.protocol === 'temporal') return { ...a, isClient: true, isEvaluated: true, train: split.train, own: split.train, test: split.test };
    if (heldOut.has(a.athleteId)) return { ...a, isClient: false, isEvaluated: true, train: EMPTY, own: split.train, test: split.test };
    return { ...a, isClient: true, isEvaluated: false, train: examples, own: EMPTY, test: EMPTY };
  });
  return {
    task: o.task,
    athletes,
    clients: athletes.filter((a) => a.isClient),
    evaluated: athletes.filter((a) => a.isEvaluated),
    clientTestFraction: o.protocol === 'temporal' ? o.testFraction : 0,
  };
}

export function pooledTraining(cohort: Cohort): TaskExamples {
  return concatExamples(cohort.clients.map((a) => a.train));
}

function attributesOf(rows: readonly DailyLogRow[], extra: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const sex = rows.find((r) => r.sex)?.sex;
  const sport = rows.find((r) => r.sport)?.sport;
  if (sex) out.sex = sex;
  if (sport) out.sport = sport;
  return { ...out, ...extra };
}
