/**
 * A feature's value read back in the athlete's own terms ("40% above", "2 of 5 (5 = fresh)", "more tired than usual"),
 * by inverting the fixed feature scales. Pairs with `describeFeature`, which names the feature:
 * `${describeFeature(name)}: ${readFeature(name, x)}` -> "last 7 days of load vs your 4-week average: 40% above".
 */
import { describeFeature, featureIndex, type FeatureName } from '../features/feature-catalog.ts';
import { INJURY_DAYS_CAP } from '../features/injury-history.ts';
import {
  FEATURE_LIMIT, LN_RMSSD_DELTA_SCALE, LOAD_SCALE, MONOTONY_SCALE, RATIO_SCALE, RESTING_HR_DELTA_SCALE, STRAIN_SCALE,
  type LinearScale,
} from '../features/scales.ts';
import { WELLNESS_ITEMS, type WellnessField, type WellnessItem } from '../features/wellness-items.ts';

/** Words for a higher / lower answer than usual (5 = best on every 1-5 item). */
const DIRECTION_WORDS: Record<WellnessField, { higher: string; lower: string; max: number; best?: string }> = {
  readiness: { higher: 'higher than usual', lower: 'lower than usual', max: 10 },
  fatigue: { higher: 'fresher than usual', lower: 'more tired than usual', max: 5, best: 'fresh' },
  mood: { higher: 'better than usual', lower: 'lower than usual', max: 5, best: 'very good' },
  sleepQuality: { higher: 'better than usual', lower: 'worse than usual', max: 5, best: 'very good' },
  soreness: { higher: 'less sore than usual', lower: 'more sore than usual', max: 5, best: 'not sore' },
  stress: { higher: 'more relaxed than usual', lower: 'more stressed than usual', max: 5, best: 'relaxed' },
  sleepHours: { higher: 'more than usual', lower: 'less than usual', max: 24 },
};

const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

function unscale(value: number, scale: LinearScale): number {
  return scale.center + value * scale.spread;
}

/** "at least"/"at most" when the scaled value sits on the clamp, where the true value may lie further out. */
function bound(value: number): string {
  if (value >= FEATURE_LIMIT) return 'at least ';
  if (value <= -FEATURE_LIMIT) return 'at most ';
  return '';
}

function percentVs(ratio: number, prefix: string, what: string): string {
  const pct = Math.round((ratio - 1) * 100);
  if (Math.abs(pct) < 5) return what ? `about the same as ${what}` : 'about the same';
  return `${prefix}${nf0.format(Math.abs(pct))}% ${pct > 0 ? 'above' : 'below'}${what ? ` ${what}` : ''}`;
}

function zWords(z: number, words: { higher: string; lower: string }): string {
  if (Math.abs(z) < 0.5) return 'about as usual';
  const base = z > 0 ? words.higher : words.lower;
  return Math.abs(z) >= 1.5 ? `much ${base}` : base;
}

function wellnessItemOf(name: FeatureName): { item: WellnessItem; kind: 'value' | 'z' } | null {
  for (const item of WELLNESS_ITEMS) {
    if (item.valueFeature === name) return { item, kind: 'value' };
    if (item.zFeature === name) return { item, kind: 'z' };
  }
  return null;
}

function isSet(x: ArrayLike<number>, name: FeatureName): boolean {
  return (x[featureIndex(name)] ?? 0) >= 0.5;
}

/**
 * The value of feature `name` in day vector `x` (FEATURE_NAMES order), in plain words. `x` is the whole vector so
 * that flags can qualify a value (a heart-rate delta is "not measured today" when its missing flag is set).
 */
export function readFeature(name: FeatureName, x: ArrayLike<number>): string {
  const v = x[featureIndex(name)] ?? 0;
  const wellness = wellnessItemOf(name);
  if (wellness) {
    const words = DIRECTION_WORDS[wellness.item.field];
    if (wellness.kind === 'z') return zWords(v, words);
    const raw = Math.min(words.max, Math.max(0, unscale(v, wellness.item)));
    if (wellness.item.field === 'sleepHours') return `${nf1.format(raw)} h`;
    return `${nf1.format(raw)} of ${words.max}${words.best ? ` (${words.max} = ${words.best})` : ''}`;
  }
  switch (name) {
    case 'load_today':
    case 'load_acute_ewma':
    case 'load_chronic_ewma':
      return `${bound(v)}${nf0.format(Math.max(0, unscale(v, LOAD_SCALE)))} AU (RPE x minutes)`;
    case 'load_ewma_ratio':
      return percentVs(unscale(v, RATIO_SCALE), bound(v), '');
    case 'load_acwr_7_28':
      return percentVs(unscale(v, RATIO_SCALE), bound(v), '');
    case 'load_monotony': {
      const m = Math.max(0, unscale(v, MONOTONY_SCALE));
      return `${bound(v)}${nf1.format(m)}${m >= 2 ? ' (high: 2 or more)' : ''}`;
    }
    case 'load_strain':
      return `${bound(v)}${nf0.format(Math.max(0, unscale(v, STRAIN_SCALE)))} AU`;
    case 'load_missing_today':
      return v >= 0.5 ? 'yes' : 'no, it is logged';
    case 'load_unknown_28d': {
      const days = Math.round(v * 28);
      return days === 0 ? 'none' : `${days} of the last 28 days`;
    }
    case 'wellness_missing': {
      const count = Math.round(v * WELLNESS_ITEMS.length);
      return count === 0 ? 'all answered' : `${count} of ${WELLNESS_ITEMS.length} not answered`;
    }
    case 'days_since_injury': {
      if (isSet(x, 'no_injury_logged')) return 'no injury in your log';
      const days = Math.round(Math.expm1(v * Math.log1p(INJURY_DAYS_CAP)));
      return days >= INJURY_DAYS_CAP ? 'over a year' : days === 1 ? '1 day' : `${days} days`;
    }
    case 'no_injury_logged':
      return v >= 0.5 ? 'none reported' : 'you have reported one';
    case 'hrv_ln_delta':
      if (isSet(x, 'hrv_missing')) return 'not measured today';
      return percentVs(Math.exp(unscale(v, LN_RMSSD_DELTA_SCALE)), bound(v), 'your last week');
    case 'rhr_delta': {
      if (isSet(x, 'rhr_missing')) return 'not measured today';
      const bpm = Math.round(unscale(v, RESTING_HR_DELTA_SCALE));
      return bpm === 0 ? 'about the same as your last week' : `${bound(v)}${Math.abs(bpm)} bpm ${bpm > 0 ? 'above' : 'below'} your last week`;
    }
    case 'hrv_missing':
    case 'rhr_missing':
      return v >= 0.5 ? 'not measured' : 'measured';
    default:
      return nf1.format(v);
  }
}

/** "Last 7 days of load vs your 4-week average: 40% above". */
export function describeFeatureValue(name: FeatureName, x: ArrayLike<number>): string {
  const label = describeFeature(name);
  return `${label.charAt(0).toUpperCase()}${label.slice(1)}: ${readFeature(name, x)}`;
}
