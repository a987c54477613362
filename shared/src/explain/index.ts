export {
  integratedGradients, inputGradient, meanFeatureVector, predictOne, quadrature, topAttributions,
  type IntegratedGradientsOptions, type IntegratedGradientsResult, type QuadratureRule, type RankedAttribution,
} from './integratedGradients.ts';
export { describeFeatureValue, readFeature } from './featureReading.ts';
export { explainPrediction, type ExplainedPrediction, type Factor } from './explainPrediction.ts';
export { explainAdditive, type AdditiveExplanation } from './explainAdditive.ts';
export { explainTrees } from './explainTrees.ts';
export { FACTOR_GROUPS, Z_FEATURES, type FactorGroup } from './factorGroups.ts';
export { typicalDay } from './typicalDay.ts';
