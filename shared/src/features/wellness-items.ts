import type { DailyLogRow } from '../log/types.ts';
import type { FeatureName } from './feature-catalog.ts';
import type { LinearScale } from './scales.ts';

export type WellnessField = 'readiness' | 'fatigue' | 'mood' | 'sleepQuality' | 'soreness' | 'stress' | 'sleepHours';

export interface WellnessItem extends LinearScale {
  field: WellnessField;
  /** The answer on its fixed scale (missing answers imputed). */
  valueFeature: FeatureName;
  /** The answer against the athlete's own 28-day baseline (0 when missing or without a baseline). */
  zFeature: FeatureName;
  /**
   * Floor on the baseline SD used for z-scores, so an athlete who always answers the same gets a finite z:
   * half a step on 1-5 items, one point on readiness (0-10), half an hour of sleep.
   */
  sdFloor: number;
}

const LIKERT = { center: 3, spread: 1, sdFloor: 0.5 };

/**
 * The self-reported items with their fixed scales. `center` is the scale's neutral point; it is also the value imputed
 * when a missing answer has no personal baseline to fall back on.
 */
export const WELLNESS_ITEMS: readonly WellnessItem[] = [
  { field: 'readiness', valueFeature: 'readiness_value', zFeature: 'readiness_z', center: 5, spread: 2.5, sdFloor: 1 },
  { field: 'fatigue', valueFeature: 'fatigue_value', zFeature: 'fatigue_z', ...LIKERT },
  { field: 'mood', valueFeature: 'mood_value', zFeature: 'mood_z', ...LIKERT },
  { field: 'sleepQuality', valueFeature: 'sleep_quality_value', zFeature: 'sleep_quality_z', ...LIKERT },
  { field: 'soreness', valueFeature: 'soreness_value', zFeature: 'soreness_z', ...LIKERT },
  { field: 'stress', valueFeature: 'stress_value', zFeature: 'stress_z', ...LIKERT },
  { field: 'sleepHours', valueFeature: 'sleep_hours_value', zFeature: 'sleep_hours_z', center: 8, spread: 2, sdFloor: 0.5 },
];

export function wellnessValue(row: DailyLogRow | null, field: WellnessField): number | null {
  const value = row?.[field] ?? null;
  return value !== null && Number.isFinite(value) ? value : null;
}
