import type { LocalTrainConfig } from '@huddle/shared/model';
import { ACWR_THRESHOLD, acwrScores } from '../baselines/acwrRule.ts';
import { athleteMeanPredictions, persistence } from '../baselines/readinessHeuristics.ts';
import { pooledTraining, type Cohort } from './cohort.ts';
import { joinPredictions, scoreMethod, scoreRule, type MethodResult, type RegressionResult, type RuleResult, type TestSet } from './evaluation.ts';
import type { SimModel } from './simModel.ts';
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

export type Heuristics = { acwrRule: RuleResult; acwrEwmaRule: RuleResult } | { persistence: RegressionResult; athleteMean: RegressionResult };

/** Middle of the log's 0-10 readiness scale: the guess when no training label exists at all. */
const READINESS_SCALE_MIDPOINT = 5;

const trainConfig = (s: BaselineSettings, epochs: number, seedUse: string): LocalTrainConfig => ({
  epochs,
  batchSize: s.batchSize,
  learningRate: s.learningRate,
  seed: derivedSeed(s.seed, seedUse),
  proximalMu: 0,
});

export async function centralizedResult(cohort: Cohort, test: TestSet, s: BaselineSettings): Promise<MethodResult> {
  const weights = await s.model.train(s.model.init, pooledTraining(cohort), trainConfig(s, s.centralEpochs, 'central'), s.steps);
  return scoreMethod(test, s.model.predict(weights, test.x, test.labels.length));
}

export async function localOnlyResult(cohort: Cohort, test: TestSet, s: BaselineSettings): Promise<MethodResult> {
  const athletes = cohort.evaluated;
  const weights = await Promise.all(athletes.map((a) => s.model.train(s.model.init, a.own, trainConfig(s, s.localOnlyEpochs, `local|${a.athleteId}`), s.steps)));
  return scoreMethod(test, joinPredictions(test, athletes.map((a, i) => s.model.predict(weights[i]!, a.test.x, a.test.n))));
}

export function heuristicResults(cohort: Cohort, test: TestSet): Heuristics {
  const athletes = cohort.evaluated;
  if (cohort.task === 'injury') {
    return {
      acwrRule: scoreRule(test, joinPredictions(test, athletes.map((a) => acwrScores(a.test, 'load_acwr_7_28'))), ACWR_THRESHOLD),
      acwrEwmaRule: scoreRule(test, joinPredictions(test, athletes.map((a) => acwrScores(a.test, 'load_ewma_ratio'))), ACWR_THRESHOLD),
    };
  }
  const pooled = pooledTraining(cohort);
  const globalMean = pooled.n > 0 ? pooled.y.reduce((s, v) => s + v, 0) / pooled.n : READINESS_SCALE_MIDPOINT;
  return {
    persistence: scoreMethod(test, joinPredictions(test, athletes.map((a) => persistence(a.test, a.features, a.rows, globalMean)))) as RegressionResult,
    athleteMean: scoreMethod(test, joinPredictions(test, athletes.map((a) => athleteMeanPredictions(a.test, a.own, globalMean)))) as RegressionResult,
  };
}
