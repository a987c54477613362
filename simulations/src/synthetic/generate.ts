import type { DailyLogRow } from '@huddle/shared/log';
import { Prng } from '@huddle/shared/random';
import { parseIsoDay } from './calendar.ts';
import { sampleHiddenParams, type HiddenParams } from './hiddenParams.ts';
import { simulateAthlete } from './simulateAthlete.ts';

export interface SyntheticFederationOptions {
  athletes: number;
  /** Logged days per athlete; 365 by default. */
  days?: number;
  seed: number;
  /** First logged day, YYYY-MM-DD; 2024-01-01 by default. */
  startDate?: string;
}

export const DEFAULT_SYNTHETIC_DAYS = 365;
export const DEFAULT_SYNTHETIC_START_DATE = '2024-01-01';

export function syntheticAthleteId(index: number): string {
  return `syn-${String(index + 1).padStart(4, '0')}`;
}

/** The hidden per-athlete parameters behind generateSyntheticFederation with the same options. */
export function syntheticHiddenParams(options: SyntheticFederationOptions): HiddenParams[] {
  return athleteStreams(options).map((s) => s.params);
}

/**
 * A synthetic federation's daily logs, athlete by athlete, in date order. Deterministic for the options;
 * athlete i's rows depend only on the seed, i, days and startDate, not on the number of athletes.
 */
export function generateSyntheticFederation(options: SyntheticFederationOptions): DailyLogRow[] {
  const days = options.days ?? DEFAULT_SYNTHETIC_DAYS;
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const firstDay = parseIsoDay(options.startDate ?? DEFAULT_SYNTHETIC_START_DATE);
  return athleteStreams(options).flatMap(({ params, rng }) => simulateAthlete(params, firstDay, days, rng));
}

/** Each athlete's hidden parameters and day stream (and the athlete's own stream, for further forks). */
export function athleteStreams(options: SyntheticFederationOptions): { params: HiddenParams; rng: Prng; athleteRng: Prng }[] {
  if (!Number.isInteger(options.athletes) || options.athletes < 0) {
    throw new RangeError(`athletes must be a non-negative integer, got ${options.athletes}`);
  }
  const root = new Prng(options.seed);
  return Array.from({ length: options.athletes }, (_, i) => {
    const athleteRng = root.fork(i);
    const params = sampleHiddenParams(athleteRng.fork('params'), syntheticAthleteId(i));
    return { params, rng: athleteRng.fork('days'), athleteRng };
  });
}
