import { describeFeature, FEATURE_NAMES, type FeatureName } from '../features/feature-catalog.ts';
import type { ModelSpec } from '../model/spec.ts';
import { readFeature } from './featureReading.ts';
import { integratedGradients, topAttributions, type IntegratedGradientsOptions, type IntegratedGradientsResult } from './integratedGradients.ts';

/** One contributing factor of a prediction, ready to show. */
export interface Factor {
  feature: FeatureName;
  /** `describeFeature(feature)`, e.g. "last 7 days of load vs your 4-week average". */
  label: string;
  /** The feature's value today in the athlete's terms, e.g. "40% above". */
  reading: string;
  /** Integrated-gradients attribution, in output units (probability or readiness points); > 0 pushes the prediction up. */
  attribution: number;
}

export interface ExplainedPrediction extends IntegratedGradientsResult {
  factors: Factor[];
}

/**
 * Explains one prediction of a model on the standard feature vector (FEATURE_NAMES order): integrated gradients from
 * `options.baseline` (the athlete's typical day, ideally) and the `top` factors by absolute attribution.
 */
export function explainPrediction(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>, options: IntegratedGradientsOptions & { top?: number } = {}): ExplainedPrediction {
  if (spec.inputSize !== FEATURE_NAMES.length) throw new RangeError(`the model takes ${spec.inputSize} inputs, the feature set has ${FEATURE_NAMES.length}`);
  const result = integratedGradients(spec, weights, x, options);
  const factors = topAttributions(result.attributions, options.top ?? 4).map(({ index, attribution }): Factor => {
    const feature = FEATURE_NAMES[index]!;
    return { feature, label: describeFeature(feature), reading: readFeature(feature, x), attribution };
  });
  return { ...result, factors };
}
