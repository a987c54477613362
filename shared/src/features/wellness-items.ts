import type { DailyLogRow } from '../log/types.ts';
import type { LinearScale } from './scales.ts';

export type WellnessField = 'readiness' | 'fatigue' | 'mood' | 'sleepQuality' | 'soreness' | 'stress' | 'sleepHours';

export interface WellnessItem extends LinearScale {
  field: WellnessField;
  /** Prefix of the item's feature names. */
  key: string;
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
  { field: 'readiness', key: 'readiness', center: 5, spread: 2.5, sdFloor: 1 },
  { field: 'fatigue', key: 'fatigue', ...LIKERT },
  { field: 'mood', key: 'mood', ...LIKERT },
  { field: 'sleepQuality', key: 'sleep_quality', ...LIKERT },
  { field: 'soreness', key: 'soreness', ...LIKERT },
  { field: 'stress', key: 'stress', ...LIKERT },
  { field: 'sleepHours', key: 'sleep_hours', center: 8, spread: 2, sdFloor: 0.5 },
];

export function wellnessValue(row: DailyLogRow | null, field: WellnessField): number | null {
  const value = row?.[field] ?? null;
  return value !== null && Number.isFinite(value) ? value : null;
}
