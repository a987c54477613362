/** Every feature in vector order, with the short label used to explain a prediction to the athlete. */
const CATALOG = [
  ['load_today', "today's training load"],
  ['load_acute_ewma', 'your training load over about the last week'],
  ['load_chronic_ewma', 'your training load over about the last 4 weeks'],
  ['load_ewma_ratio', 'recent load vs your longer-term load'],
  ['load_acwr_7_28', 'last 7 days of load vs your 4-week average'],
  ['load_monotony', 'how little your training varied this week'],
  ['load_strain', 'weekly load combined with how little it varied'],
  ['load_missing_today', 'no training load logged today'],
  ['load_unknown_28d', 'days without a logged load in the last 4 weeks'],
  ['readiness_value', 'your readiness today'],
  ['readiness_z', 'readiness today vs your usual'],
  ['fatigue_value', 'your fatigue today'],
  ['fatigue_z', 'fatigue today vs your usual'],
  ['mood_value', 'your mood today'],
  ['mood_z', 'mood today vs your usual'],
  ['sleep_quality_value', 'your sleep quality last night'],
  ['sleep_quality_z', 'sleep quality vs your usual'],
  ['soreness_value', 'your muscle soreness today'],
  ['soreness_z', 'soreness today vs your usual'],
  ['stress_value', 'your stress today'],
  ['stress_z', 'stress today vs your usual'],
  ['sleep_hours_value', 'hours you slept'],
  ['sleep_hours_z', 'hours slept vs your usual'],
  ['wellness_missing', "wellness questions you didn't answer today"],
  ['days_since_injury', 'time since your last reported injury'],
  ['no_injury_logged', 'no injury reported in your log'],
  ['hrv_ln_delta', 'heart-rate variability vs your last week'],
  ['hrv_missing', 'heart-rate variability not available today'],
  ['rhr_delta', 'resting heart rate vs your last week'],
  ['rhr_missing', 'resting heart rate not available today'],
  ['readiness_lag1', 'your readiness yesterday'],
  ['readiness_lag2', 'your readiness the day before yesterday'],
  ['readiness_mean_3d', 'your readiness over the last 3 days'],
  ['readiness_mean_7d', 'your readiness over the last week'],
  ['readiness_mean_28d', 'your readiness over the last 4 weeks'],
  ['readiness_mean_all', 'your readiness over your whole log'],
  ['fatigue_mean_3d', 'your fatigue over the last 3 days'],
  ['fatigue_mean_7d', 'your fatigue over the last week'],
  ['mood_mean_3d', 'your mood over the last 3 days'],
  ['mood_mean_7d', 'your mood over the last week'],
  ['sleep_quality_mean_3d', 'your sleep quality over the last 3 nights'],
  ['sleep_quality_mean_7d', 'your sleep quality over the last week'],
  ['soreness_mean_3d', 'your soreness over the last 3 days'],
  ['soreness_mean_7d', 'your soreness over the last week'],
  ['stress_mean_3d', 'your stress over the last 3 days'],
  ['stress_mean_7d', 'your stress over the last week'],
  ['sleep_hours_mean_3d', 'hours you slept over the last 3 nights'],
  ['sleep_hours_mean_7d', 'hours you slept over the last week'],
] as const satisfies readonly (readonly [string, string])[];

export type FeatureName = (typeof CATALOG)[number][0];

export const FEATURE_NAMES: readonly FeatureName[] = CATALOG.map(([name]) => name);
export const FEATURE_COUNT: number = FEATURE_NAMES.length;

const LABELS = new Map<string, string>(CATALOG);
const INDEX = new Map<string, number>(FEATURE_NAMES.map((name, i) => [name, i]));

export function isFeatureName(name: string): name is FeatureName {
  return INDEX.has(name);
}

/** Position of a feature in each day's vector. Throws RangeError for an unknown name. */
export function featureIndex(name: string): number {
  const index = INDEX.get(name);
  if (index === undefined) throw new RangeError(`unknown feature: ${name}`);
  return index;
}

/** Short human label for a feature, e.g. "last 7 days of load vs your 4-week average". Throws RangeError for an unknown name. */
export function describeFeature(name: string): string {
  const label = LABELS.get(name);
  if (label === undefined) throw new RangeError(`unknown feature: ${name}`);
  return label;
}
