export {
  integratedGradients, inputGradient, meanFeatureVector, predictOne, predictRows, quadrature, topAttributions,
  type IntegratedGradientsOptions, type IntegratedGradientsResult, type QuadratureRule, type RankedAttribution,
} from './integratedGradients.ts';
export { describeFeatureValue, readFeature } from './featureReading.ts';
export { explainPrediction, type ExplainedPrediction, type Factor } from './explainPrediction.ts';
