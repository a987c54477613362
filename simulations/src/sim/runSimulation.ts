import { initNodeBackend } from '@huddle/client-sdk/node';
import type { RoundRecord } from '@huddle/coordinator';
import { createBatchingTrainer, fastTrainer, tfjsTrainer, treeRounds, treeShape } from '@huddle/shared/model';
import { taskModel } from '@huddle/shared/protocol';
import { comparableEpochs } from '../baselines/centralized.ts';
import { centralizedPredictions, gbdtPredictions, heuristicPredictions, joinForecasts, localOnlyPredictions, type BaselineSettings } from './baselineResults.ts';
import { modelMethod } from './metrics.ts';
import { buildCohort, type Cohort } from './cohort.ts';
import { loadSimDataset, type SimDataset } from './dataset.ts';
import { finalResults } from './finalResults.ts';
import { roundMetrics, testSetOf, type TestSet } from './evaluation.ts';
import { FaultPlan } from './faultPlan.ts';
import { startFederation, type RunningFederation } from './federation.ts';
import { resolveOptions, SimUsageError, type SimOptions, type SimOptionsInput } from './options.ts';
import { personalizedPredictions } from './personalize.ts';
import { simModel, type SimModel } from './simModel.ts';
import { ledgerEpsilonAt, privacyPlan, type PrivacyPlan } from './privacy.ts';
import { RESULTS_SCHEMA_VERSION, type RoundResult, type SimResults } from './resultsSchema.ts';
import { parseStragglers } from './stragglers.ts';
import { trainingPeriod } from './validationSplit.ts';
import { derivedSeed, taskConfigFor, type SimTaskConfig } from './taskConfig.ts';

export interface SimHooks {
  onStage?(stage: string): void;
  onRound?(round: RoundResult, totalRounds: number): void;
  onWarning?(message: string): void;
}

const ROW_ERRORS_KEPT = 20;

/** One experiment: the federation through the deployed engine, then every baseline on the same test days. */
export async function runSimulation(input: SimOptionsInput, hooks: SimHooks = {}): Promise<SimResults> {
  const o = resolveOptions(input);
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    hooks.onWarning?.(m);
  };
  const started = performance.now();

  hooks.onStage?.('loading data');
  const loaded = loadSimDataset(o);
  const data = o.validation ? trainingPeriod(loaded, o.task, o.testFraction) : loaded;
  if (data.skippedRows > 0) {
    const shown = data.rowErrors.slice(0, 3).map((e) => `row ${e.row} ${e.field}: ${e.reason}`).join('; ');
    warn(`${data.name}: skipped ${data.skippedRows} bad rows (${data.rowErrors.length} problems), e.g. ${shown}`);
  }
  for (const w of data.rowWarnings) warn(`${data.name}: row ${w.row} ${w.field}: ${w.reason}`);
  const cohort = buildCohort(data, { task: o.task, protocol: o.protocol, testFraction: o.testFraction, holdoutFraction: o.holdoutFraction ?? 0.2 });
  checkCohort(o, cohort, warn);
  const test = testSetOf(cohort);
  const datasetMs = performance.now() - started;

  const privacy = privacyPlan(o, cohort.clients.length);
  const config = taskConfigFor(o, { trainingClients: cohort.clients.length, privacy });
  const modelSettings = taskModel(config);
  const model = simModel(o.task, modelSettings, config.modelSeed, o.trainer === 'tfjs' ? tfjsTrainer : fastTrainer);
  if (modelSettings.kind === 'trees' && o.rounds < treeRounds(treeShape(modelSettings))) {
    const shape = treeShape(modelSettings);
    warn(`the trees need ${treeRounds(shape)} rounds (${shape.count} trees x ${shape.depth} levels x ${shape.levelRounds}); ${o.rounds} rounds build ${Math.floor(o.rounds / (shape.depth * shape.levelRounds))} of the ${shape.count} trees`);
  }
  if (o.trainer === 'tfjs' || o.federatedEval) await initNodeBackend();

  hooks.onStage?.('federated training');
  const fedStart = performance.now();
  const plan = new FaultPlan({ seed: derivedSeed(o.seed, 'faults'), dropout: o.dropout, stragglers: parseStragglers(o.stragglers), federatedEval: o.federatedEval });
  const fed = await startFederation({
    transport: o.transport,
    config,
    clients: cohort.clients.map((a) => ({ clientId: a.clientId, rows: a.rows })),
    clientTestFraction: cohort.clientTestFraction,
    trainer: o.trainer === 'tfjs' ? tfjsTrainer : createBatchingTrainer(),
    plan,
    selectionSeed: derivedSeed(o.seed, 'selection'),
    noiseSeed: derivedSeed(o.seed, 'noise'),
    onStall: warn,
  });
  const rounds: RoundResult[] = [];
  let work = { updates: 0, samples: 0 };
  try {
    for (let r = 0; r < o.rounds; r++) {
      const record = await fed.runRound();
      work = addWork(work, record, cohort, plan, o, config.fit.localEpochs);
      const result = roundResult(record, fed, test, model, privacy);
      rounds.push(result);
      hooks.onRound?.(result, o.rounds);
    }
  } finally {
    await fed.close();
  }
  const globalWeights = fed.globalWeights();
  const federationMs = performance.now() - fedStart;
  const engineAccounted = rounds.some((x) => x.epsilonSource === 'engine');
  if (privacy.noiseMultiplier > 0 && !engineAccounted && rounds.some((x) => x.status === 'completed')) {
    warn('noise was requested but the engine reported no privacy spend: the model trained WITHOUT noise, and epsilon is what the configuration would spend');
  }

  if (o.secureAggregation && rounds.some((x) => x.status === 'completed' && !x.secureAggregation)) {
    warn('secure aggregation was requested but the engine ran rounds without it');
  }

  hooks.onStage?.('baselines');
  const baseStart = performance.now();
  const derived = derivedSettings(o, config, cohort.clients.length);
  const settings: BaselineSettings = { model, steps: o.rounds, seed: o.seed, batchSize: config.fit.batchSize, learningRate: derived.learningRate, centralEpochs: derived.centralEpochs, localOnlyEpochs: derived.localOnlyEpochs };
  const federated = model.forecast(globalWeights, test.x, test.labels.length);
  const personal = await personalizedPredictions(model, globalWeights, cohort.evaluated, (a) => ({
    epochs: derived.personalizeEpochs,
    batchSize: config.fit.batchSize,
    learningRate: derived.personalizeLearningRate,
    seed: derivedSeed(o.seed, `personalize|${a.athleteId}`),
    proximalMu: 0,
  }));
  const kind = o.task === 'injury' ? 'binary' : 'regression';
  const gbdt = gbdtPredictions(cohort, test);
  const { final, warnings: evaluationWarnings } = finalResults(
    test,
    {
      federated: modelMethod(kind, federated),
      personalized: modelMethod(kind, joinForecasts(test, personal)),
      centralized: modelMethod(kind, await centralizedPredictions(cohort, test, settings)),
      localOnly: modelMethod(kind, await localOnlyPredictions(cohort, test, settings)),
      ...gbdt.methods,
      ...heuristicPredictions(cohort, test),
    },
    { seed: derivedSeed(o.seed, 'bootstrap'), noiseMultiplier: privacy.noiseMultiplier, referenceSettings: gbdt.chosen },
  );
  for (const w of evaluationWarnings) warn(w);
  const baselinesMs = performance.now() - baseStart;

  const totalMs = performance.now() - started;
  const seconds = federationMs / 1000;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    config: { ...o, derived: { ...derived, taskConfig: { ...config } } },
    dataset: datasetSummary(data, cohort, test),
    rounds,
    final,
    privacy: {
      noise: config.privacy.noise,
      noiseMultiplier: privacy.noiseMultiplier,
      delta: privacy.delta,
      samplingRate: privacy.samplingRate,
      targetEpsilon: privacy.targetEpsilon,
      epsilon: rounds.at(-1)?.epsilon ?? null,
      epsilonSource: privacy.noiseMultiplier <= 0 ? 'none' : 'engine',
    },
    warnings,
    timing: {
      totalMs,
      datasetMs,
      federationMs,
      baselinesMs,
      clientUpdates: work.updates,
      clientUpdatesPerSecond: seconds > 0 ? work.updates / seconds : 0,
      samplesPerSecond: seconds > 0 ? work.samples / seconds : 0,
    },
  };
}

function checkCohort(o: SimOptions, cohort: Cohort, warn: (m: string) => void): void {
  if (cohort.clients.length === 0) throw new SimUsageError('no athlete is left to train');
  if (o.clientsPerRound > cohort.clients.length) {
    warn(`--clients-per-round ${o.clientsPerRound} exceeds the ${cohort.clients.length} training athletes${o.protocol === 'unseen' ? ' (after holding out unseen athletes)' : ''}: every round asks all of them`);
  }
  const idle = cohort.clients.filter((a) => a.train.n === 0).length;
  if (idle > 0) warn(`${idle} of ${cohort.clients.length} clients have no labelled ${o.task} training days and decline every round`);
  if (cohort.evaluated.every((a) => a.test.n === 0)) throw new SimUsageError(`no evaluated athlete has labelled ${o.task} test days`);
}

function derivedSettings(o: SimOptions, config: SimTaskConfig, trainingClients: number) {
  const centralEpochs = o.centralEpochs ?? comparableEpochs(o.rounds, config.fit.localEpochs, o.clientsPerRound, trainingClients);
  return {
    learningRate: config.fit.learningRate,
    minClients: config.minClients,
    centralEpochs,
    localOnlyEpochs: o.localOnlyEpochs ?? centralEpochs,
    personalizeEpochs: o.personalizeEpochs ?? config.fit.localEpochs,
    personalizeLearningRate: o.personalizeLearningRate ?? config.fit.learningRate,
  };
}

/** Epsilon after this round, from the engine's own accounting only (null before its first charge). */
function roundEpsilon(record: RoundRecord, fed: RunningFederation, privacy: PrivacyPlan): { epsilon: number | null; source: 'engine' | 'none' } {
  if (privacy.noiseMultiplier <= 0) return { epsilon: null, source: 'none' };
  if (record.privacy) return { epsilon: record.privacy.epsilon, source: 'engine' };
  const ledger = fed.ledger();
  return { epsilon: ledger.entries.length > 0 ? ledgerEpsilonAt(ledger, ledger.entries.length, fed.coordinator.taskState(fed.task).config.privacy.delta) : null, source: 'engine' };
}

function roundResult(record: RoundRecord, fed: RunningFederation, test: TestSet, model: SimModel, privacy: PrivacyPlan): RoundResult {
  const completed = record.status === 'completed';
  const { epsilon, source } = roundEpsilon(record, fed, privacy);
  return {
    round: record.round,
    status: record.status,
    reason: record.reason,
    selected: record.selected.length,
    participants: [...record.reported],
    dropped: [...record.dropped],
    numExamples: record.numExamples,
    trainLoss: record.trainLoss,
    metrics: roundMetrics(test, model.forecast(fed.globalWeights(), test.x, test.labels.length)),
    engineMetrics: completed && record.metrics && record.metrics.evalExamples > 0 ? engineMetrics(record.metrics) : null,
    epsilon,
    epsilonSource: source,
    secureAggregation: record.secureAggregation,
    virtualMs: Math.max(0, Date.parse(record.endedAt) - Date.parse(record.startedAt)),
  };
}

function engineMetrics(m: NonNullable<RoundRecord['metrics']>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number' || v === null) out[k] = v;
  return out;
}

/** Client trainings this round (every selected client that did not drop out) and the samples they processed. */
function addWork(w: { updates: number; samples: number }, record: RoundRecord, cohort: Cohort, plan: FaultPlan, o: SimOptions, localEpochs: number) {
  const byClient = new Map(cohort.clients.map((a) => [a.clientId, a.train.n]));
  let { updates, samples } = w;
  for (const id of record.selected) {
    const n = byClient.get(id) ?? 0;
    if (n === 0 || plan.dropsFit(id, o.task, record.round)) continue;
    updates++;
    samples += n * localEpochs;
  }
  return { updates, samples };
}

function datasetSummary(data: SimDataset, cohort: Cohort, test: TestSet): SimResults['dataset'] {
  const trainExamples = cohort.clients.reduce((s, a) => s + a.train.n, 0);
  return {
    name: data.name,
    athletes: cohort.athletes.length,
    clients: cohort.clients.length,
    evaluatedAthletes: cohort.evaluated.length,
    trainExamples,
    testExamples: test.labels.length,
    testPositives: cohort.task === 'injury' ? test.labels.reduce((s, v) => s + v, 0) : null,
    skippedRows: data.skippedRows,
    rowErrors: data.rowErrors.slice(0, ROW_ERRORS_KEPT).map(({ row, field, reason }) => ({ row, field, reason })),
  };
}
