import type { DailyLogRow } from '../log/types.ts';
import { daysSinceInjury } from './injury-history.ts';
import { ACUTE_LAMBDA, CHRONIC_LAMBDA, ewma } from './load-metrics.ts';
import { WELLNESS_ITEMS, wellnessValue } from './wellness-items.ts';

/** Per-day input series of one athlete (index = day in the grid); null = not reported. */
export interface AthleteSeries {
  days: number;
  /** Logged sRPE load, null when unknown (no row, or the cell was empty). */
  knownLoad: (number | null)[];
  /** Load for the aggregates: an unknown day counts as 0 (no recorded training). */
  load: number[];
  acuteLoad: number[];
  chronicLoad: number[];
  /** One series per entry of WELLNESS_ITEMS, same order. */
  wellness: (number | null)[][];
  daysSinceInjury: (number | null)[];
  hrv: (number | null)[];
  restingHr: (number | null)[];
}

export function athleteSeries(rows: readonly (DailyLogRow | null)[]): AthleteSeries {
  const knownLoad = rows.map((row) => nonNegativeOrNull(row?.srpeLoad));
  const load = knownLoad.map((value) => value ?? 0);
  return {
    days: rows.length,
    knownLoad,
    load,
    acuteLoad: ewma(load, ACUTE_LAMBDA),
    chronicLoad: ewma(load, CHRONIC_LAMBDA),
    wellness: WELLNESS_ITEMS.map((item) => rows.map((row) => wellnessValue(row, item.field))),
    daysSinceInjury: daysSinceInjury(rows.map((row) => (row?.injury === 1 ? 1 : 0))),
    hrv: rows.map((row) => positiveOrNull(row?.hrvRmssdMs)),
    restingHr: rows.map((row) => positiveOrNull(row?.restingHrBpm)),
  };
}

function nonNegativeOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) && value >= 0 ? value : null;
}

function positiveOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? value : null;
}
