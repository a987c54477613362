import { MISSING_FLAG_OF } from '../features/feature-bins.ts';
import { describeFeature, FEATURE_COUNT, featureIndex, type FeatureName } from '../features/feature-catalog.ts';
import { WELLNESS_ITEMS } from '../features/wellness-items.ts';
import { additiveScores } from '../model/additive/additiveModel.ts';
import { additiveLayout, pairSlotOf, slotOf } from '../model/additive/layout.ts';
import type { TaskId } from '../model/spec.ts';
import type { ModelSettings } from '../model/settings.ts';
import { targetReference } from '../model/target.ts';
import { FACTOR_GROUPS } from './factorGroups.ts';
import { readFeature } from './featureReading.ts';
import type { Factor } from './explainPrediction.ts';

export interface AdditiveExplanation {
  /** The model's prediction for x (readiness points or injury probability). */
  prediction: number;
  /** Its prediction for the baseline day (with today's measurements missing where today's are). */
  baselinePrediction: number;
  /** Per feature, in output units; they sum to prediction - baselinePrediction exactly (up to float rounding). */
  attributions: Float64Array;
  /** Grouped factors, largest |attribution| first. */
  factors: Factor[];
  completenessGap: number;
}

const READINESS_VALUE = featureIndex('readiness_value');

/**
 * Exact explanation of the additive model against a baseline day (the athlete's typical day, see typicalDay):
 * each feature's share is its shape function today minus at the baseline (plus its Shapley share of any pair term). An optional measurement missing today is
 * missing on the baseline day too, so it contributes exactly nothing. For a 'change' target, today's readiness
 * (the reference the change is added to) counts towards the readiness factor. Injury attributions are the logit
 * shares rescaled to probability, which keeps their signs and makes them sum exactly.
 */
export function explainAdditive(task: TaskId, settings: ModelSettings, params: ArrayLike<number>, x: ArrayLike<number>, baseline: ArrayLike<number>, top = 4): AdditiveExplanation {
  const layout = additiveLayout();
  const base = alignedBaseline(x, baseline);
  const logit = new Float64Array(FEATURE_COUNT);
  for (let j = 0; j < FEATURE_COUNT; j++) if (!layout.absorbed[j]) logit[j] = params[slotOf(layout, j, x, 0)]! - params[slotOf(layout, j, base, 0)]!;
  // A pair term's share is split between its two features by their Shapley values (the mean of each one's effect
  // with the other at today's and at the baseline's value), which sum to the term's change exactly.
  for (let p = 0; p < layout.pairs.length / 2; p++) {
    const ja = layout.pairs[2 * p]!;
    const jb = layout.pairs[2 * p + 1]!;
    const at = (va: ArrayLike<number>, vb: ArrayLike<number>) => {
      const mixed = Float64Array.from(base);
      mixed[ja] = va[ja]!;
      mixed[jb] = vb[jb]!;
      return params[pairSlotOf(layout, p, mixed, 0)]!;
    };
    const both = at(x, x);
    const none = at(base, base);
    const onlyA = at(x, base);
    const onlyB = at(base, x);
    const shareA = 0.5 * (onlyA - none + (both - onlyB));
    logit[ja]! += shareA;
    logit[jb]! += both - none - shareA;
  }
  return explanationFromScores(task, settings, x, base, additiveScores(params, x, 1)[0]!, additiveScores(params, base, 1)[0]!, logit, top);
}

/**
 * The baseline day as explanations compare with it: every optional measurement missing today is missing on it too
 * (with today's value), so a missing measurement contributes exactly nothing.
 */
export function alignedBaseline(x: ArrayLike<number>, baseline: ArrayLike<number>): Float64Array {
  if (x.length !== FEATURE_COUNT || baseline.length !== FEATURE_COUNT) throw new RangeError(`explanations need ${FEATURE_COUNT} feature values`);
  const base = Float64Array.from(baseline);
  for (const [value, flag] of Object.entries(MISSING_FLAG_OF) as [FeatureName, FeatureName][]) {
    const f = featureIndex(flag);
    base[f] = x[f]! >= 0.5 ? 1 : 0;
    if (x[f]! >= 0.5) base[featureIndex(value)] = x[featureIndex(value)]!;
  }
  return base;
}

/**
 * An explanation from the raw scores of today and of the aligned baseline and each feature's exact share of their
 * difference (`logit`, consumed): for a 'change' target today's readiness (the reference) counts towards the
 * readiness factor; injury shares are rescaled from logit to probability, which keeps their signs and their sum.
 */
export function explanationFromScores(
  task: TaskId, settings: ModelSettings, x: ArrayLike<number>, base: ArrayLike<number>, scoreX: number, scoreB: number, logit: Float64Array, top: number,
): AdditiveExplanation {
  let prediction: number;
  let baselinePrediction: number;
  const attributions = new Float64Array(FEATURE_COUNT);
  if (settings.loss === 'logistic') {
    prediction = sigmoid(scoreX);
    baselinePrediction = sigmoid(scoreB);
    const ratio = scoreX !== scoreB ? (prediction - baselinePrediction) / (scoreX - scoreB) : prediction * (1 - prediction);
    for (let j = 0; j < FEATURE_COUNT; j++) attributions[j] = logit[j]! * ratio;
  } else {
    const refX = targetReference(task, settings, x, 0);
    const refB = targetReference(task, settings, base, 0);
    prediction = refX + scoreX;
    baselinePrediction = refB + scoreB;
    attributions.set(logit);
    attributions[READINESS_VALUE]! += refX - refB;
  }
  let total = 0;
  for (const a of attributions) total += a;
  const factors = FACTOR_GROUPS.map((group) => {
    let attribution = 0;
    for (const j of group.members) attribution += attributions[j]!;
    return { feature: group.primary, label: describeFeature(group.primary), reading: readingOf(group.primary, x), attribution };
  })
    .filter((f) => f.attribution !== 0)
    .sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution))
    .slice(0, top);
  return { prediction, baselinePrediction, attributions, factors, completenessGap: total - (prediction - baselinePrediction) };
}

/** An answer's reading says both what it was and how it compares with the athlete's usual. */
function readingOf(primary: FeatureName, x: ArrayLike<number>): string {
  const item = WELLNESS_ITEMS.find((i) => i.valueFeature === primary);
  if (!item) return readFeature(primary, x);
  return `${readFeature(primary, x)}, ${readFeature(item.zFeature, x)}`;
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}
