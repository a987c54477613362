export type { AthleteFeatures } from './types.ts';
export type { FeatureName } from './feature-catalog.ts';
export { describeFeature, FEATURE_COUNT, FEATURE_NAMES, featureIndex, isFeatureName } from './feature-catalog.ts';
export { buildAthleteFeatures } from './build-athlete-features.ts';
export { featureValue, featureVector } from './feature-value.ts';
export { dayGrid } from './day-grid.ts';
export type { DayGrid } from './day-grid.ts';
export { INJURY_HORIZON_DAYS, injuryLabels, readinessLabels } from './labels.ts';
export {
  ACUTE_LAMBDA, CHRONIC_LAMBDA, CHRONIC_LOAD_FLOOR, MONOTONY_CAP,
  ewma, fosterMonotony, fosterStrain, loadRatio, rollingAcwr, trailingWindow,
} from './load-metrics.ts';
export { BASELINE_DAYS, MIN_BASELINE_VALUES, baselineOf, baselineZ } from './personal-baseline.ts';
export type { Baseline } from './personal-baseline.ts';
export { MIN_PHYSIO_BASELINE_VALUES, PHYSIO_BASELINE_DAYS, lnRmssdDelta, restingHrDelta } from './physiology.ts';
export { INJURY_DAYS_CAP, daysSinceInjury, scaledDaysSinceInjury } from './injury-history.ts';
export {
  FEATURE_LIMIT, LN_RMSSD_DELTA_SCALE, LOAD_SCALE, MONOTONY_SCALE, RATIO_SCALE, RESTING_HR_DELTA_SCALE, STRAIN_SCALE,
  clampFeature, scaled,
} from './scales.ts';
export type { LinearScale } from './scales.ts';
export { WELLNESS_ITEMS } from './wellness-items.ts';
export type { WellnessField, WellnessItem } from './wellness-items.ts';
export { FEATURE_BINS, MISSING_FLAG_OF } from './feature-bins.ts';
export type { FeatureBins } from './feature-bins.ts';
export { monotoneDirections } from './feature-directions.ts';
export { HISTORY_FEATURES } from './history-features.ts';
