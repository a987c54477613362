import { FEATURE_COUNT } from '@huddle/shared/features';
import { targetReference, type LocalTrainConfig } from '@huddle/shared/model';
import { ACWR_THRESHOLD, acwrScores } from '../baselines/acwrRule.ts';
import { athleteRatePredictions } from '../baselines/athleteRate.ts';
import { pooledGbdt, type PooledAthlete, type PooledGbdtResult } from '../baselines/gbdt/index.ts';
import type { GbdtLoss } from '../baselines/gbdt/losses.ts';
import { athleteMeanPredictions, persistence } from '../baselines/readinessHeuristics.ts';
import { pooledTraining, type Cohort, type CohortAthlete } from './cohort.ts';
import { joinPredictions, type TestSet } from './evaluation.ts';
import type { MethodPredictions } from './metrics.ts';
import type { Forecast, SimModel } from './simModel.ts';
import { derivedSeed } from './taskConfig.ts';

export interface BaselineSettings {
  /** The task's model (family, settings, round-0 parameters), trained here on pooled or own days. */
  model: SimModel;
  /** Boosting rounds of the additive model's pooled and local-only fits: the federation's round count. */
  steps: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  centralEpochs: number;
  localOnlyEpochs: number;
}

/** Middle of the log's 0-10 readiness scale: the guess when no training label exists at all. */
export const READINESS_SCALE_MIDPOINT = 5;

const trainConfig = (s: BaselineSettings, epochs: number, seedUse: string): LocalTrainConfig => ({
  epochs,
  batchSize: s.batchSize,
  learningRate: s.learningRate,
  seed: derivedSeed(s.seed, seedUse),
  proximalMu: 0,
});

export async function centralizedPredictions(cohort: Cohort, test: TestSet, s: BaselineSettings): Promise<Forecast> {
  const weights = await s.model.train(s.model.init, pooledTraining(cohort), trainConfig(s, s.centralEpochs, 'central'), s.steps);
  return s.model.forecast(weights, test.x, test.labels.length);
}

export async function localOnlyPredictions(cohort: Cohort, test: TestSet, s: BaselineSettings): Promise<Forecast> {
  const athletes = cohort.evaluated;
  const weights = await Promise.all(athletes.map((a) => s.model.train(s.model.init, a.own, trainConfig(s, s.localOnlyEpochs, `local|${a.athleteId}`), s.steps)));
  return joinForecasts(test, athletes.map((a, i) => s.model.forecast(weights[i]!, a.test.x, a.test.n)));
}

/** Per-athlete forecasts joined in test-set order (the mean forecast only when every athlete's model has one). */
export function joinForecasts(test: TestSet, perAthlete: readonly Forecast[]): Forecast {
  const means = perAthlete.map((f) => f.mean);
  return {
    predictions: joinPredictions(test, perAthlete.map((f) => f.predictions)),
    mean: means.every((m) => m !== null) ? joinPredictions(test, means as ArrayLike<number>[]) : null,
  };
}

export function pooledMean(cohort: Cohort, fallback: number): number {
  const pooled = pooledTraining(cohort);
  return pooled.n > 0 ? pooled.y.reduce((s, v) => s + v, 0) / pooled.n : fallback;
}

/** The heuristics of the task, as predictions to score: rules for injury, readiness guesses otherwise. */
export function heuristicPredictions(cohort: Cohort, test: TestSet): Record<string, MethodPredictions> {
  const athletes = cohort.evaluated;
  if (cohort.task === 'injury') {
    const rate = pooledMean(cohort, 0);
    return {
      acwrRule: { kind: 'rule', threshold: ACWR_THRESHOLD, predictions: joinPredictions(test, athletes.map((a) => acwrScores(a.test, 'load_acwr_7_28'))) },
      acwrEwmaRule: { kind: 'rule', threshold: ACWR_THRESHOLD, predictions: joinPredictions(test, athletes.map((a) => acwrScores(a.test, 'load_ewma_ratio'))) },
      athleteRate: { kind: 'binary', predictions: joinPredictions(test, athletes.map((a) => athleteRatePredictions(a.test, a.own, rate))) },
    };
  }
  const globalMean = pooledMean(cohort, READINESS_SCALE_MIDPOINT);
  return {
    persistence: { kind: 'regression', predictions: joinPredictions(test, athletes.map((a) => persistence(a.test, a.features, a.rows, globalMean))) },
    athleteMean: { kind: 'regression', predictions: joinPredictions(test, athletes.map((a) => athleteMeanPredictions(a.test, a.own, globalMean))) },
  };
}

/**
 * Pooled boosted trees on the same features as Huddle's models: for injury with the logistic loss; for
 * readiness predicting the change from changeReference, with the absolute loss (pooledGbdt, the MAE reference)
 * and the squared loss (pooledGbdtSquared, the RMSE reference).
 */
export function gbdtPredictions(cohort: Cohort, test: TestSet): GbdtPredictions {
  const key = fingerprint(cohort);
  const hit = gbdtMemo.get(key);
  if (hit) return hit;
  const fresh = computeGbdtPredictions(cohort, test);
  gbdtMemo.set(key, fresh);
  if (gbdtMemo.size > GBDT_MEMO_SIZE) gbdtMemo.delete(gbdtMemo.keys().next().value!);
  return fresh;
}

type GbdtPredictions = { methods: Record<string, MethodPredictions>; chosen: Record<string, PooledGbdtResult['chosen']> };

/**
 * The boosted trees are deterministic in their data, which runs that differ only in the federation's
 * seed share: they are fit once per distinct data (keyed by a checksum of every training and test value).
 */
const gbdtMemo = new Map<string, GbdtPredictions>();
const GBDT_MEMO_SIZE = 4;

function fingerprint(cohort: Cohort): string {
  let h = 2166136261;
  const mix = (v: number): void => {
    h = Math.imul(h ^ (Math.fround(v) * 1e4) | 0, 16777619) >>> 0;
  };
  const parts: TaskExamplesLike[] = [...cohort.clients.map((a) => a.train), ...cohort.evaluated.map((a) => a.test), ...cohort.evaluated.map((a) => a.own)];
  for (const p of parts) {
    mix(p.n);
    for (let i = 0; i < p.x.length; i++) mix(p.x[i]!);
    for (let i = 0; i < p.y.length; i++) mix(p.y[i]!);
    for (const d of p.days) mix(d);
  }
  return `${cohort.task}|${cohort.clients.length}|${cohort.evaluated.length}|${parts.reduce((s, p) => s + p.n, 0)}|${h}`;
}

type TaskExamplesLike = CohortAthlete['train'];

/**
 * What the boosted trees' readiness change is measured from: the federated model's own reference (today's
 * readiness, else the athlete's mean; see targetReference), per example.
 */
export function changeReference(ex: Pick<TaskExamplesLike, 'x' | 'n'>): Float64Array {
  return Float64Array.from({ length: ex.n }, (_, i) => targetReference('readiness', { target: 'change' }, ex.x, i * FEATURE_COUNT));
}

function computeGbdtPredictions(cohort: Cohort, test: TestSet): GbdtPredictions {
  const readiness = cohort.task === 'readiness';
  const today = (_: CohortAthlete, ex: CohortAthlete['test']): Float64Array | undefined => (readiness ? changeReference(ex) : undefined);
  const empty = { x: new Float32Array(0), y: new Float32Array(0), n: 0, days: [] };
  // Trainers and tested athletes apart, so that the unseen protocol's held-out athletes never train.
  const trainers: PooledAthlete[] = cohort.clients.map((a) => ({ train: a.train, test: empty, ...(readiness && { trainBase: today(a, a.train)!, testBase: new Float64Array(0) }) }));
  const tested: PooledAthlete[] = cohort.evaluated.map((a) => ({ train: empty, test: a.test, ...(readiness && { trainBase: new Float64Array(0), testBase: today(a, a.test)! }) }));
  const run = (loss: GbdtLoss) => {
    const r = pooledGbdt([...trainers, ...tested], loss);
    return { predictions: joinPredictions(test, r.predictions.slice(trainers.length)), chosen: r.chosen };
  };
  if (!readiness) {
    const r = run('logistic');
    return { methods: { pooledGbdt: { kind: 'binary', predictions: r.predictions } }, chosen: { pooledGbdt: r.chosen } };
  }
  const abs = run('absolute');
  const sq = run('squared');
  return {
    methods: { pooledGbdt: { kind: 'regression', predictions: abs.predictions }, pooledGbdtSquared: { kind: 'regression', predictions: sq.predictions } },
    chosen: { pooledGbdt: abs.chosen, pooledGbdtSquared: sq.chosen },
  };
}
