import { FEATURE_NAMES, featureIndex, type FeatureName } from '../features/feature-catalog.ts';
import { HISTORY_FEATURES } from '../features/history-features.ts';
import { WELLNESS_ITEMS } from '../features/wellness-items.ts';

/**
 * Features explained together as one factor, named by the first: an answer and its z-score against the athlete's
 * usual are one item; a measurement and its missing flag are one; an item's multi-day history is one "recent days"
 * factor. Every feature belongs to exactly one group (single-feature groups for the rest).
 */
export interface FactorGroup {
  primary: FeatureName;
  members: number[];
}

function build(): FactorGroup[] {
  const groups: FeatureName[][] = [];
  for (const item of WELLNESS_ITEMS) {
    groups.push([item.valueFeature, item.zFeature]);
    const history = HISTORY_FEATURES[item.field];
    if (history) groups.push([...history.means.map(([, name]) => name), ...history.lags, ...(history.expanding ? [history.expanding] : [])]);
  }
  groups.push(['load_today', 'load_missing_today'], ['hrv_ln_delta', 'hrv_missing'], ['rhr_delta', 'rhr_missing'], ['days_since_injury', 'no_injury_logged'], ['load_acwr_7_28', 'load_ewma_ratio']);
  const taken = new Set(groups.flat());
  for (const name of FEATURE_NAMES) if (!taken.has(name)) groups.push([name]);
  return groups.map((names) => ({ primary: names[0]!, members: names.map(featureIndex) }));
}

export const FACTOR_GROUPS: readonly FactorGroup[] = build();

/** z-score features: their "usual" is 0 by construction (the answer equals the athlete's own baseline). */
export const Z_FEATURES: readonly number[] = WELLNESS_ITEMS.map((item) => featureIndex(item.zFeature));
