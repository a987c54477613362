import { FEATURE_NAMES, type FeatureName } from './feature-catalog.ts';
import { FEATURE_LIMIT } from './scales.ts';
import { WELLNESS_ITEMS } from './wellness-items.ts';

/**
 * Fixed histogram bins of every feature for the additive model, derived from each feature's documented scale (never
 * from a dataset): `count` equal-width bins over [lo, hi] of the scaled value, values outside falling in the end bins.
 * Fixed edges need no statistics round and every client bins identically; the price is bins a dataset never fills,
 * which simply keep their (regularised) value.
 */
export interface FeatureBins {
  lo: number;
  hi: number;
  count: number;
}

/** Optional measurements whose missing flag routes the value to its own "missing" bin; the flag itself is then not modelled. */
export const MISSING_FLAG_OF: Readonly<Partial<Record<FeatureName, FeatureName>>> = {
  hrv_ln_delta: 'hrv_missing',
  rhr_delta: 'rhr_missing',
};

const FLAG: FeatureBins = { lo: 0, hi: 1, count: 2 };
const SHARE: FeatureBins = { lo: 0, hi: 1, count: 8 };
const Z: FeatureBins = { lo: -FEATURE_LIMIT, hi: FEATURE_LIMIT, count: 24 };
/** Likert items scaled (answer - 3) / 1: -2..2, quarter steps. */
const LIKERT: FeatureBins = { lo: -2, hi: 2, count: 16 };
/** Readiness (0-10) scaled (r - 5) / 2.5: half-point bins. */
const READINESS: FeatureBins = { lo: -2, hi: 2, count: 20 };
/** Sleep hours scaled (h - 8) / 2 and clamped: 2-14 h in half hours. */
const SLEEP_HOURS: FeatureBins = { lo: -FEATURE_LIMIT, hi: FEATURE_LIMIT, count: 24 };
const LOAD: FeatureBins = { lo: -0.75, hi: FEATURE_LIMIT, count: 15 };
const RATIO: FeatureBins = { lo: -2, hi: FEATURE_LIMIT, count: 20 };
const WEEKLY: FeatureBins = { lo: -1.5, hi: FEATURE_LIMIT, count: 18 };

function binsOf(name: FeatureName): FeatureBins {
  if (name.endsWith('_z') || name === 'hrv_ln_delta' || name === 'rhr_delta') return Z;
  if (name.endsWith('_missing') || name === 'load_missing_today' || name === 'no_injury_logged') return name === 'wellness_missing' ? SHARE : FLAG;
  if (name === 'load_unknown_28d') return SHARE;
  if (name === 'days_since_injury') return { lo: 0, hi: 1, count: 16 };
  if (name === 'load_today' || name === 'load_acute_ewma' || name === 'load_chronic_ewma') return LOAD;
  if (name === 'load_ewma_ratio' || name === 'load_acwr_7_28') return RATIO;
  if (name === 'load_monotony' || name === 'load_strain') return WEEKLY;
  if (name.startsWith('readiness_')) return READINESS;
  if (name.startsWith('sleep_hours_')) return SLEEP_HOURS;
  if (WELLNESS_ITEMS.some((item) => name.startsWith(item.valueFeature.replace(/_value$/, '_')))) return LIKERT;
  throw new RangeError(`no bins defined for feature ${name}`);
}

/** Bins of every feature, in FEATURE_NAMES order. */
export const FEATURE_BINS: readonly FeatureBins[] = FEATURE_NAMES.map(binsOf);
