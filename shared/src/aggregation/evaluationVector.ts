import { STANDING_LOAD_EDGES, STANDING_READINESS_BINS } from '../metrics/federatedQuality.ts';
import { SCORE_BINS, type EvalSummary, type SecureFit } from '../protocol/index.ts';
import { decodeSecureVector, encodeSecureVector, planSecureEncoding } from './secureVector.ts';
import { clipL2InPlace, gaussianNoise, type RandomSource } from '../privacy/index.ts';

/**
 * The evaluation vector: everything one athlete's device reports about a candidate model, as one fixed-length vector
 * that the coordinator only ever needs summed. Plain rounds send it in an `evaluateResult` (summed by the
 * coordinator); secure rounds put it, normalized, through the same secure-sum codec as weight updates
 * (`encodeSecureVector`), noised on the devices under distributed DP.
 *
 * Per athlete it holds the held-out counts and error sums (the round metrics), and for the published quality the
 * athlete's own mean error of the model and of its heuristic, their difference and the squares, so that only sums
 * over athletes are learned and a 95% interval across athletes follows. The readiness vector also carries one-hot
 * "where you stand" histograms (the athlete's recent readiness and weekly load) for the federation's percentiles.
 */

/** Held-out days one athlete counts with (its latest): bounds every count and sum in the vector. */
export const EVAL_MAX_DAYS = 366;
/** Per-day loss, absolute error (readiness points) and squared error are clamped to these before summing. */
export const EVAL_LOSS_MAX = 20;
export const EVAL_ERROR_MAX = 10;

export type EvaluationKind = 'binary' | 'regression';

interface Field {
  name: FieldName;
  size: number;
  /** A scalar's |value| bound; a group's bound on the sum of its non-negative entries. */
  bound: number;
}

type FieldName =
  | 'athletes'
  | 'days'
  | 'sumLoss'
  | 'histogram'
  | 'sumAbs'
  | 'sumSq'
  | 'positiveAthletes'
  | 'rated'
  | 'model'
  | 'model2'
  | 'heuristic'
  | 'heuristic2'
  | 'diff'
  | 'diff2'
  | 'standingReadiness'
  | 'standingLoad';

const GROUPS = new Set<FieldName>(['histogram', 'standingReadiness', 'standingLoad']);
const D = EVAL_MAX_DAYS;
const E = EVAL_ERROR_MAX;

const COMMON: Field[] = [
  { name: 'athletes', size: 1, bound: 1 },
  { name: 'days', size: 1, bound: D },
  { name: 'sumLoss', size: 1, bound: D * EVAL_LOSS_MAX },
];
/** Per-athlete quality terms; `bound` is the largest mean error of one athlete (Brier <= 1, MAE <= 10). */
const quality = (bound: number): Field[] => [
  { name: 'rated', size: 1, bound: 1 },
  { name: 'model', size: 1, bound },
  { name: 'model2', size: 1, bound: bound * bound },
  { name: 'heuristic', size: 1, bound },
  { name: 'heuristic2', size: 1, bound: bound * bound },
  { name: 'diff', size: 1, bound },
  { name: 'diff2', size: 1, bound: bound * bound },
];

const LAYOUTS: Record<EvaluationKind, Field[]> = {
  binary: [...COMMON, { name: 'histogram', size: 2 * SCORE_BINS, bound: D }, { name: 'positiveAthletes', size: 1, bound: 1 }, ...quality(1)],
  regression: [
    ...COMMON,
    { name: 'sumAbs', size: 1, bound: D * E },
    { name: 'sumSq', size: 1, bound: D * E * E },
    ...quality(E),
    { name: 'standingReadiness', size: STANDING_READINESS_BINS, bound: 1 },
    { name: 'standingLoad', size: STANDING_LOAD_EDGES.length, bound: 1 },
  ],
};

interface Slot {
  field: Field;
  offset: number;
}

function slots(kind: EvaluationKind): Map<FieldName, Slot> {
  const out = new Map<FieldName, Slot>();
  let offset = 0;
  for (const field of LAYOUTS[kind]) {
    out.set(field.name, { field, offset });
    offset += field.size;
  }
  return out;
}

export function evaluationVectorLength(kind: EvaluationKind): number {
  return LAYOUTS[kind].reduce((s, f) => s + f.size, 0);
}

/** L2 bound of one athlete's normalized vector: 1 per scalar and per group (a group's L2 is at most its L1). */
export function evaluationClip(kind: EvaluationKind): number {
  return Math.sqrt(LAYOUTS[kind].length);
}

/** Each coordinate's normalizer: a scalar's bound, or its group's bound. */
function normalizers(kind: EvaluationKind): Float64Array {
  const out = new Float64Array(evaluationVectorLength(kind));
  let o = 0;
  for (const f of LAYOUTS[kind]) for (let i = 0; i < f.size; i++) out[o++] = f.bound;
  return out;
}

/** One athlete's evaluation of a candidate model on its held-out days (what its device computes). */
export interface LocalEvaluationInput {
  /** Held-out days (at most EVAL_MAX_DAYS). */
  days: number;
  sumLoss: number;
  summary: EvalSummary;
  /** The athlete's own mean error over those days: Brier score (injury) or MAE (readiness). Omitted without days. */
  model?: number;
  heuristic?: number;
  /** Readiness vector only: where the athlete stands (null when it has logged nothing recent). */
  standing?: { readinessBin: number | null; loadBin: number | null };
}

const clampAbs = (v: number, bound: number) => Math.max(-bound, Math.min(bound, Number.isFinite(v) ? v : 0));

/** The vector in natural units (counts, sums, errors); every coordinate already inside its bound. */
export function buildEvaluationVector(kind: EvaluationKind, e: LocalEvaluationInput): Float64Array {
  if (e.summary.kind !== kind) throw new Error(`a ${kind} evaluation vector needs a ${kind} summary`);
  const s = slots(kind);
  const out = new Float64Array(evaluationVectorLength(kind));
  const put = (name: FieldName, v: number, i = 0) => {
    const slot = s.get(name)!;
    out[slot.offset + i] = clampAbs(v, slot.field.bound);
  };
  const days = Math.min(D, Math.max(0, Math.round(e.days)));
  put('athletes', days > 0 ? 1 : 0);
  put('days', days);
  put('sumLoss', Math.max(0, e.sumLoss));
  if (e.summary.kind === 'binary') {
    const h = s.get('histogram')!.offset;
    e.summary.positives.forEach((v, k) => (out[h + k] = v));
    e.summary.negatives.forEach((v, k) => (out[h + SCORE_BINS + k] = v));
    put('positiveAthletes', e.summary.positives.some((v) => v > 0) ? 1 : 0);
  } else {
    put('sumAbs', e.summary.sumAbsError);
    put('sumSq', e.summary.sumSquaredError);
  }
  if (days > 0 && e.model !== undefined && e.heuristic !== undefined && Number.isFinite(e.model) && Number.isFinite(e.heuristic)) {
    const bound = s.get('model')!.field.bound;
    const m = clampAbs(e.model, bound);
    const hh = clampAbs(e.heuristic, bound);
    put('rated', 1);
    put('model', m);
    put('model2', m * m);
    put('heuristic', hh);
    put('heuristic2', hh * hh);
    put('diff', m - hh);
    put('diff2', (m - hh) ** 2);
  }
  if (kind === 'regression' && e.standing) {
    const { readinessBin, loadBin } = e.standing;
    if (readinessBin !== null) out[s.get('standingReadiness')!.offset + Math.max(0, Math.min(STANDING_READINESS_BINS - 1, readinessBin))] = 1;
    if (loadBin !== null) out[s.get('standingLoad')!.offset + Math.max(0, Math.min(STANDING_LOAD_EDGES.length - 1, loadBin))] = 1;
  }
  return out;
}

/** The bin of a 7-day load in STANDING_LOAD_EDGES. */
export function loadStandingBin(weeklyLoad: number): number {
  let b = 0;
  while (b + 1 < STANDING_LOAD_EDGES.length && weeklyLoad >= STANDING_LOAD_EDGES[b + 1]!) b++;
  return b;
}

/**
 * Checks one plain vector from a client: right length, finite, every scalar within its bound, every group
 * non-negative and within its bound, the histogram adding up to the days. Returns the problem, or null.
 */
export function evaluationVectorProblem(kind: EvaluationKind, v: ArrayLike<number>): string | null {
  if (v.length !== evaluationVectorLength(kind)) return `the evaluation vector has ${v.length} values, expected ${evaluationVectorLength(kind)}`;
  for (const { field, offset } of slots(kind).values()) {
    let sum = 0;
    for (let i = 0; i < field.size; i++) {
      const x = v[offset + i]!;
      if (!Number.isFinite(x)) return `${field.name} is not finite`;
      if (GROUPS.has(field.name) && x < 0) return `${field.name} has a negative count`;
      if (!GROUPS.has(field.name) && Math.abs(x) > field.bound * (1 + 1e-9)) return `${field.name} is outside its bound ${field.bound}`;
      sum += x;
    }
    if (GROUPS.has(field.name) && sum > field.bound * (1 + 1e-9)) return `${field.name} adds up to more than ${field.bound}`;
  }
  const s = slots(kind);
  const days = v[s.get('days')!.offset]!;
  if (kind === 'binary') {
    const h = s.get('histogram')!;
    let total = 0;
    for (let i = 0; i < h.field.size; i++) total += v[h.offset + i]!;
    if (total !== days) return 'histogram counts do not add up to the days';
  }
  return null;
}

/** The secure-sum encoding of this round's evaluation vectors: the weight-update codec, with no statistics slots used. */
export function planEvaluationEncoding(kind: EvaluationKind, c: { noise: 'none' | 'central' | 'distributed'; noiseMultiplier: number | null; minClients: number }, selected: number): SecureFit {
  const enc = planSecureEncoding(
    { noise: c.noise, clip: evaluationClip(kind), parameters: evaluationVectorLength(kind), minClients: c.minClients, needsIndividualUpdates: true, updateNoiseMultiplier: c.noiseMultiplier },
    selected,
  );
  return { ...enc, releaseStats: false, exampleWeightCap: 0 };
}

/** The device's secure input: the vector normalized to L2 <= evaluationClip, quantized, with its noise share. */
export function encodeEvaluationVector(kind: EvaluationKind, vector: Float64Array, enc: SecureFit, random?: RandomSource): Uint32Array {
  const norm = normalizers(kind);
  const u = Float32Array.from(vector, (x, i) => x / norm[i]!);
  clipL2InPlace(u, evaluationClip(kind));
  return encodeSecureVector(u, 0, 0, null, enc, random);
}

/** The survivors' summed vector in natural units, and the std of the noise on each coordinate of it. */
export function decodeEvaluationSum(kind: EvaluationKind, total: Uint32Array, enc: SecureFit, survivors: number): { sum: Float64Array; noiseStd: Float64Array } {
  const norm = normalizers(kind);
  const decoded = decodeSecureVector(total, enc, survivors);
  const perUnit = enc.noiseSigma > 0 ? (Math.sqrt(survivors) * enc.noiseSigma) / enc.scale : 0;
  return { sum: Float64Array.from(decoded.sum, (x, i) => x * norm[i]!), noiseStd: Float64Array.from(norm, (b) => perUnit * b) };
}

/** Central DP: Gaussian noise of std z x clip (normalized units) on the plain sum, added by the coordinator. */
export function addCentralEvaluationNoise(kind: EvaluationKind, sum: Float64Array, noiseMultiplier: number, random?: RandomSource): Float64Array {
  const norm = normalizers(kind);
  const sigma = noiseMultiplier * evaluationClip(kind);
  const noise = gaussianNoise(sum.length, sigma, random);
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + noise[i]! * norm[i]!;
  return Float64Array.from(norm, (b) => sigma * b);
}

/** The secure-aggregation instance of a round's evaluation: its own id, so no key or signature of the fit step carries over. */
export const evaluationSecAggId = (roundId: string): string => `${roundId}:eval`;

/** Named views of a summed vector. */
export interface EvaluationSums {
  kind: EvaluationKind;
  athletes: number;
  days: number;
  sumLoss: number;
  summary: EvalSummary;
  positiveAthletes: number;
  /** Sums over athletes of each athlete's mean error (model, heuristic, difference) and of their squares. */
  quality: { rated: number; model: number; model2: number; heuristic: number; heuristic2: number; diff: number; diff2: number };
  /** Noise std on the quality sums (0 without DP). */
  qualityNoiseStd: { rated: number; model: number; heuristic: number; diff: number; model2: number; heuristic2: number; diff2: number };
  standing: { readiness: number[]; load: number[] } | null;
  /** Noise std on each score-histogram count (binary; 0 without DP). */
  histogramNoiseStd: number;
}

export function readEvaluationSums(kind: EvaluationKind, sum: ArrayLike<number>, noiseStd?: ArrayLike<number>): EvaluationSums {
  const s = slots(kind);
  const get = (name: FieldName, i = 0) => sum[s.get(name)!.offset + i]!;
  const noise = (name: FieldName) => (noiseStd ? noiseStd[s.get(name)!.offset]! : 0);
  const range = (name: FieldName) => {
    const { offset, field } = s.get(name)!;
    return Array.from({ length: field.size }, (_, i) => sum[offset + i]!);
  };
  const counts = (xs: number[]) => xs.map((x) => Math.max(0, Math.round(x)));
  const summary: EvalSummary =
    kind === 'binary'
      ? { kind, positives: counts(range('histogram').slice(0, SCORE_BINS)), negatives: counts(range('histogram').slice(SCORE_BINS)) }
      : { kind, sumAbsError: Math.max(0, get('sumAbs')), sumSquaredError: Math.max(0, get('sumSq')) };
  const q = { rated: Math.max(0, Math.round(get('rated'))), model: get('model'), model2: get('model2'), heuristic: get('heuristic'), heuristic2: get('heuristic2'), diff: get('diff'), diff2: get('diff2') };
  return {
    kind,
    athletes: Math.max(0, Math.round(get('athletes'))),
    days: Math.max(0, Math.round(get('days'))),
    sumLoss: Math.max(0, get('sumLoss')),
    summary,
    positiveAthletes: kind === 'binary' ? Math.max(0, Math.round(get('positiveAthletes'))) : 0,
    quality: q,
    qualityNoiseStd: { rated: noise('rated'), model: noise('model'), model2: noise('model2'), heuristic: noise('heuristic'), heuristic2: noise('heuristic2'), diff: noise('diff'), diff2: noise('diff2') },
    standing: kind === 'regression' ? { readiness: counts(range('standingReadiness')), load: counts(range('standingLoad')) } : null,
    histogramNoiseStd: kind === 'binary' ? noise('histogram') : 0,
  };
}

/** Adds plain vectors (the coordinator's sum when it sees each one). */
export function sumEvaluationVectors(kind: EvaluationKind, vectors: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(evaluationVectorLength(kind));
  for (const v of vectors) for (let i = 0; i < out.length; i++) out[i] = out[i]! + v[i]!;
  return out;
}

/** Fields an evaluateResult's count, loss and summary already carry (or imply). */
const FROM_SUMMARY = new Set<FieldName>(['athletes', 'days', 'sumLoss', 'histogram', 'sumAbs', 'sumSq', 'positiveAthletes']);

/** The part of a plain vector that the evaluateResult's count, loss and summary do not already carry. */
export function evaluationExtras(kind: EvaluationKind, vector: Float64Array): number[] {
  const out: number[] = [];
  for (const { field, offset } of slots(kind).values()) {
    if (FROM_SUMMARY.has(field.name)) continue;
    for (let i = 0; i < field.size; i++) out.push(vector[offset + i]!);
  }
  return out;
}

export function evaluationExtrasLength(kind: EvaluationKind): number {
  return LAYOUTS[kind].filter((f) => !FROM_SUMMARY.has(f.name)).reduce((n, f) => n + f.size, 0);
}

/** The whole plain vector from an evaluateResult's count, loss, summary and extras (absent extras: zeros, no quality). */
export function evaluationVectorFromResult(kind: EvaluationKind, r: { numExamples: number; sumLoss: number; summary: EvalSummary; extras?: readonly number[] | undefined }): Float64Array | string {
  if (r.summary.kind !== kind) return `evaluation must be a ${kind} summary`;
  const s = slots(kind);
  const out = new Float64Array(evaluationVectorLength(kind));
  out[s.get('days')!.offset] = r.numExamples;
  out[s.get('sumLoss')!.offset] = r.sumLoss;
  if (r.summary.kind === 'binary') {
    const h = s.get('histogram')!.offset;
    r.summary.positives.forEach((v, k) => (out[h + k] = v));
    r.summary.negatives.forEach((v, k) => (out[h + SCORE_BINS + k] = v));
  } else {
    out[s.get('sumAbs')!.offset] = r.summary.sumAbsError;
    out[s.get('sumSq')!.offset] = r.summary.sumSquaredError;
  }
  out[s.get('athletes')!.offset] = r.numExamples > 0 ? 1 : 0;
  if (r.summary.kind === 'binary') out[s.get('positiveAthletes')!.offset] = r.summary.positives.some((v) => v > 0) ? 1 : 0;
  const extras = r.extras ?? null;
  const expected = evaluationExtrasLength(kind);
  if (extras !== null && extras.length !== expected) return `evaluation extras have ${extras.length} values, expected ${expected}`;
  let j = 0;
  for (const { field, offset } of s.values()) {
    if (FROM_SUMMARY.has(field.name)) continue;
    for (let i = 0; i < field.size; i++) out[offset + i] = extras ? extras[j++]! : 0;
  }
  return out;
}
