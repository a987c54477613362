export type SyntheticSport = 'football' | 'running' | 'handball';
export const SYNTHETIC_SPORTS: readonly SyntheticSport[] = ['football', 'running', 'handball'];

export interface SportProfile {
  /** Mean daily sRPE load (AU) of a typical athlete of the sport, rest days included. */
  meanDailyLoad: number;
  /**
   * Relative load of each day of the microcycle, Monday first, mean 1. A 0 is a rest day; the largest
   * value is the match or hard day. Athletes with fewer rest days turn rest days into easy days.
   */
  microcycle: readonly number[];
  /** Day of the year (0-based) when the off-season break usually starts. */
  offSeasonStart: number;
}

export const SPORT_PROFILES: Record<SyntheticSport, SportProfile> = {
  football: { meanDailyLoad: 380, microcycle: normalize([0, 1.2, 1.4, 1.0, 0.6, 1.9, 0.3]), offSeasonStart: 335 },
  running: { meanDailyLoad: 430, microcycle: normalize([0.9, 1.5, 0.8, 1.3, 0, 2.0, 0.6]), offSeasonStart: 290 },
  handball: { meanDailyLoad: 350, microcycle: normalize([0, 1.3, 1.3, 1.1, 0.7, 1.7, 0.4]), offSeasonStart: 160 },
};

function normalize(days: number[]): number[] {
  const mean = days.reduce((a, b) => a + b, 0) / days.length;
  return days.map((d) => d / mean);
}
