import type { HiddenParams } from './hiddenParams.ts';
import { SPORT_PROFILES } from './sports.ts';
import { dayOfYear, weekday } from './calendar.ts';

/** Three build weeks then a deload week, scaled so the 4-week mean is 1. */
const MESOCYCLE = [0.95, 1.05, 1.15, 0.65].map((w) => w / 0.95);
const OFF_SEASON_DAYS = 21;
const OFF_SEASON_FACTOR = 0.2;
/** First week back after the break at reduced load. */
const PRESEASON_FACTOR = 0.7;

/** The athlete's weekly pattern after applying its number of rest days; mean 1. */
export function personalMicrocycle(params: HiddenParams): number[] {
  const base = [...SPORT_PROFILES[params.sport].microcycle];
  if (params.restDaysPerWeek === 0) {
    for (let d = 0; d < 7; d++) if (base[d] === 0) base[d] = 0.5;
  } else if (params.restDaysPerWeek === 2) {
    let lowest = -1;
    for (let d = 0; d < 7; d++) if (base[d]! > 0 && (lowest < 0 || base[d]! < base[lowest]!)) lowest = d;
    base[lowest] = 0;
  }
  const mean = base.reduce((a, b) => a + b, 0) / 7;
  return base.map((v) => v / mean);
}

/** Planned load of a calendar day as a multiple of the athlete's chronic capacity. */
export function plannedLoadFactor(params: HiddenParams, microcycle: readonly number[], day: number): number {
  const week = Math.floor((day + params.mesocyclePhase) / 7);
  let factor = microcycle[weekday(day)]! * MESOCYCLE[((week % 4) + 4) % 4]!;
  const breakStart = SPORT_PROFILES[params.sport].offSeasonStart + params.offSeasonShift;
  const sinceBreak = (((dayOfYear(day) - breakStart) % 365) + 365) % 365;
  if (sinceBreak < OFF_SEASON_DAYS) factor *= OFF_SEASON_FACTOR;
  else if (sinceBreak < OFF_SEASON_DAYS + 7) factor *= PRESEASON_FACTOR;
  return factor;
}
