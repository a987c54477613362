import { sliceExamples, taskExamples } from '@huddle/shared/data';
import { explainAdditive, explainPrediction, explainTrees, typicalDay, type Factor } from '@huddle/shared/explain';
import { buildAthleteFeatures, FEATURE_COUNT, INJURY_HORIZON_DAYS, type AthleteFeatures } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import {
  modelFamily, ownInjuryRate, personalizeInClosedForm, summarizePredictions, changeLabels,
  type LocalTrainConfig, type LocalTrainResult, type ModelSpec, type TaskId, type TrainingData,
} from '@huddle/shared/model';
import { standingOf } from '@huddle/client-sdk';
import { percentileOf } from '@huddle/shared/metrics';
import type { GlobalModel } from './modelFetch.ts';
import { forecastEvidence, type Evidence, type HeuristicForecast } from './forecastEvidence.ts';

/** Labelled days of the athlete's own log needed before the model is fine-tuned on the device. */
export const MIN_PERSONAL_DAYS = 28;
/** Reported days needed before "your typical day" is used as the explanation baseline (else an all-zero, neutral day). */
export const MIN_BASELINE_DAYS = 7;
/** Days of history in the trend charts. */
export const TREND_DAYS = 90;
export const IG_STEPS = 64;

export type Train = (spec: ModelSpec, init: Float32Array, data: TrainingData, config: LocalTrainConfig) => Promise<LocalTrainResult>;

export interface Personalization {
  used: boolean;
  labelledDays: number;
  /** Why (not) used, in plain words. */
  note: string;
  /** Mean loss on the athlete's latest 20% of labelled days, held out from fine-tuning. */
  heldOut?: { personal: number; global: number; days: number };
}

export interface TaskForecast extends Partial<Evidence> {
  task: TaskId;
  /** The latest logged day the forecast is made from. */
  fromDate: string;
  /** Readiness: the next day; injury: the 7 days after fromDate (first and last). */
  forDates: [string, string];
  /** Readiness 0-10, or probability of a new injury within 7 days. */
  value: number;
  /** Readiness only, when the model learns it: the mean forecast (what days like this average), beside the median `value`. */
  expected?: number;
  /** The same model's output for the baseline day. */
  baselineValue: number;
  baseline: 'typical-day' | 'neutral-day';
  modelRound: number;
  modelSource: GlobalModel['source'];
  personalization: Personalization;
  factors: Factor[];
  /** sum(attributions) - (value - baselineValue): integration error of the explanation. */
  completenessGap: number;
}

export interface Standing {
  athletes: number;
  noise: 'none' | 'central' | 'distributed';
  /** Share of the federation's athletes below the athlete (mid-rank), 0-100; null when the athlete has no recent figure. */
  readinessPercentile: number | null;
  loadPercentile: number | null;
  modelRound: number;
}

export interface TrendSeries {
  dates: string[];
  load: (number | null)[];
  readiness: (number | null)[];
  /** Forecast of each day's readiness, made the day before. */
  predictedReadiness: (number | null)[];
  /** 7-day injury risk as estimated on each day. */
  risk: (number | null)[];
}

export interface ForecastResult {
  generatedAt: string;
  loggedDays: number;
  latestDate: string | null;
  forecasts: Partial<Record<TaskId, TaskForecast>>;
  /** Why a task has no forecast. */
  unavailable: Partial<Record<TaskId, string>>;
  /** Where the athlete stands in the federation (percentiles from its published, noised histograms), when published. */
  standing?: Standing;
  trend: TrendSeries;
}

export interface ForecastInputs {
  rows: readonly DailyLogRow[];
  models: Partial<Record<TaskId, GlobalModel>>;
  /** Fine-tunes a copy of the global model (trainTf in the app). Omit to never personalize. */
  train?: Train;
  /** Personalized weights by cache key, so a forecast is not re-trained until the model or the log changes. */
  cache?: Map<string, { weights: Float32Array; personalization: Personalization }>;
  /** Changes whenever the rows change. */
  dataVersion?: number | string;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function personalConfig(task: TaskId): LocalTrainConfig {
  return { epochs: 15, batchSize: 16, learningRate: task === 'injury' ? 0.05 : 0.02, seed: 7, proximalMu: 0.01 };
}

/** Fine-tunes on the older 80% of the athlete's labelled days; kept only if it beats the global model on the newest 20%. */
async function personalize(model: GlobalModel, features: AthleteFeatures, train: Train | undefined): Promise<{ weights: Float32Array; personalization: Personalization }> {
  const examples = taskExamples(features, model.task);
  const n = examples.n;
  const global = { weights: model.weights };
  if (!train) return { ...global, personalization: { used: false, labelledDays: n, note: 'Personalization is off' } };
  if (n < MIN_PERSONAL_DAYS) {
    return { ...global, personalization: { used: false, labelledDays: n, note: `It is personalized once you have ${MIN_PERSONAL_DAYS} days with a known outcome (you have ${n})` } };
  }
  const cut = n - Math.max(1, Math.round(n * 0.2));
  const fit = sliceExamples(examples, 0, cut);
  const held = sliceExamples(examples, cut, n);
  const tuned = personalizeInClosedForm(model.task, model.model, model.weights, fit)
    ?? (await train(model.spec, model.weights, { x: fit.x, y: changeLabels(model.spec, model.model, fit), n: fit.n }, personalConfig(model.task))).weights;
  const lossOf = (weights: Float32Array) => summarizePredictions(model.spec, predictWith(model, weights, held.x, held.n), held.y).sumLoss / Math.max(1, held.n);
  const personal = lossOf(tuned);
  const globalLoss = lossOf(model.weights);
  const heldOut = { personal, global: globalLoss, days: held.n };
  if (Number.isFinite(personal) && personal <= globalLoss) {
    return { weights: tuned, personalization: { used: true, labelledDays: n, note: `Fine-tuned on your first ${cut} days; it beat the team model on your latest ${held.n} days`, heldOut } };
  }
  return { ...global, personalization: { used: false, labelledDays: n, note: `Fine-tuning on your days did not beat it on your latest ${held.n} days, so the team model is used as is`, heldOut } };
}

/** Forecasts with explanations and trends from the athlete's rows and the global models; nothing leaves the device. */
export async function computeForecasts(inputs: ForecastInputs): Promise<ForecastResult> {
  const rows = inputs.rows;
  const result: ForecastResult = {
    generatedAt: new Date().toISOString(),
    loggedDays: rows.length,
    latestDate: null,
    forecasts: {},
    unavailable: {},
    trend: { dates: [], load: [], readiness: [], predictedReadiness: [], risk: [] },
  };
  if (rows.length === 0) {
    result.unavailable = { readiness: 'log a day first', injury: 'log a day first' };
    return result;
  }
  const features = buildAthleteFeatures(rows);
  const days = features.dates.length;
  const last = days - 1;
  result.latestDate = features.dates[last]!;
  const f = FEATURE_COUNT;
  const row = (t: number) => features.x.subarray(t * f, (t + 1) * f);
  const reported = features.hasReport.flatMap((has, t) => (has && t >= days - TREND_DAYS ? [t] : []));
  const typical = reported.length >= MIN_BASELINE_DAYS;
  const baseline = typical ? typicalDay(features.x, reported) : new Float64Array(f);

  const weightsFor = new Map<TaskId, { model: GlobalModel; weights: Float32Array }>();
  for (const task of ['readiness', 'injury'] as const) {
    const model = inputs.models[task];
    if (!model) {
      result.unavailable[task] = 'no team model on this device yet: connect once to download it';
      continue;
    }
    if (model.spec.inputSize !== f) {
      result.unavailable[task] = 'the team model does not match this app version';
      continue;
    }
    const key = `${task}:${model.round}:${model.source}:${model.model.kind}:${inputs.dataVersion ?? rows.length}`;
    let tuned = inputs.cache?.get(key);
    if (!tuned) {
      tuned = await personalize(model, features, inputs.train);
      inputs.cache?.set(key, tuned);
    }
    weightsFor.set(task, { model, weights: tuned.weights });
    const explained = explain(model, tuned.weights, row(last), baseline);
    const fromDate = features.dates[last]!;
    const value = task === 'readiness' ? Math.min(10, Math.max(0, explained.prediction)) : explained.prediction;
    const mean = task === 'readiness' ? modelFamily(model.model.kind).predictMean(model.spec, model.model, tuned.weights, row(last), 1) : null;
    result.forecasts[task] = {
      ...forecastEvidence(task, model.round, model.published, value, heuristicOf(task, rows, features)),
      task,
      fromDate,
      forDates: task === 'readiness' ? [addDays(fromDate, 1), addDays(fromDate, 1)] : [addDays(fromDate, 1), addDays(fromDate, INJURY_HORIZON_DAYS)],
      value,
      ...(mean && Number.isFinite(mean[0]) ? { expected: Math.min(10, Math.max(0, mean[0]!)) } : {}),
      baselineValue: explained.baselinePrediction,
      baseline: typical ? 'typical-day' : 'neutral-day',
      modelRound: model.round,
      modelSource: model.source,
      personalization: tuned.personalization,
      factors: explained.factors,
      completenessGap: explained.completenessGap,
    };
  }

  const standing = inputs.models.readiness?.published?.standing;
  if (standing && inputs.models.readiness) {
    const own = standingOf(rows);
    result.standing = {
      athletes: standing.athletes,
      noise: standing.noise,
      readinessPercentile: own.readinessBin === null ? null : percentileOf(standing.readiness.counts, own.readinessBin),
      loadPercentile: own.loadBin === null ? null : percentileOf(standing.load.counts, own.loadBin),
      modelRound: inputs.models.readiness.round,
    };
  }
  const byDate = new Map(rows.map((r) => [r.date, r]));
  const start = Math.max(0, days - TREND_DAYS);
  const readinessModel = weightsFor.get('readiness');
  const injuryModel = weightsFor.get('injury');
  for (let t = start; t < days; t++) {
    const date = features.dates[t]!;
    const logged = byDate.get(date);
    result.trend.dates.push(date);
    result.trend.load.push(logged?.srpeLoad ?? null);
    result.trend.readiness.push(logged?.readiness ?? null);
    result.trend.predictedReadiness.push(readinessModel && t > 0 ? clampReadiness(predictWith(readinessModel.model, readinessModel.weights, row(t - 1), 1)[0]!) : null);
    result.trend.risk.push(injuryModel ? predictWith(injuryModel.model, injuryModel.weights, row(t), 1)[0]! : null);
  }
  const nextDay = addDays(result.latestDate, 1);
  if (readinessModel) {
    result.trend.dates.push(nextDay);
    result.trend.load.push(null);
    result.trend.readiness.push(null);
    result.trend.predictedReadiness.push(result.forecasts.readiness?.value ?? null);
    result.trend.risk.push(null);
  }
  return result;
}

/** The model's predictions in label units, whatever its family (the same shared maths the federation trains). */
function predictWith(model: GlobalModel, weights: Float32Array, x: Float32Array, n: number): Float32Array {
  return modelFamily(model.model.kind).predict(model.spec, model.model, weights, x, n);
}

/**
 * Top factors against the baseline day: exact shape-function differences for the additive model and exact Shapley
 * values for the trees (monotone where physiology is known, missing measurements contributing nothing); integrated
 * gradients for the network.
 */
function explain(model: GlobalModel, weights: Float32Array, x: Float32Array, baseline: Float64Array) {
  if (model.model.kind === 'additive') return explainAdditive(model.task, model.model, weights, x, baseline, 4);
  if (model.model.kind === 'trees') return explainTrees(model.task, model.model, weights, x, baseline, 4);
  const explained = explainPrediction(model.spec, weights, x, { baseline, steps: IG_STEPS, top: 4 });
  if (model.model.target !== 'change') return explained;
  const reference = predictWith(model, weights, x, 1)[0]! - explained.prediction;
  const baseReference = predictWith(model, weights, Float32Array.from(baseline), 1)[0]! - explained.baselinePrediction;
  return { ...explained, prediction: explained.prediction + reference, baselinePrediction: explained.baselinePrediction + baseReference };
}

function clampReadiness(v: number): number {
  return Math.min(10, Math.max(0, v));
}

/** The athlete's own heuristic: readiness, tomorrow like its latest reported day; injury, its own rate on its labelled days. */
function heuristicOf(task: TaskId, rows: readonly DailyLogRow[], features: AthleteFeatures): HeuristicForecast | undefined {
  if (task === 'readiness') {
    const latest = [...rows].sort((a, b) => (a.date < b.date ? 1 : -1)).find((r) => r.readiness !== null);
    return latest ? { label: 'Tomorrow like your latest day', value: latest.readiness! } : undefined;
  }
  const examples = taskExamples(features, 'injury');
  return { label: 'Your own injury rate so far', value: ownInjuryRate(examples) };
}
