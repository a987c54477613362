import type { DailyLogRow } from '@huddle/shared/log';
import type { Prng } from '@huddle/shared/random';
import type { AthleteBody } from '../synthetic/athleteBody.ts';
import { parseIsoDay } from '../synthetic/calendar.ts';
import { athleteStreams } from '../synthetic/generate.ts';
import type { HiddenParams } from '../synthetic/hiddenParams.ts';
import { simulateAthleteBody } from '../synthetic/simulateAthlete.ts';

export const PLAN_START_DATE = '2024-01-01';

/** One synthetic athlete at the start of a planned block: the log the planner sees, and the true body behind it. */
export interface BlockStart {
  params: HiddenParams;
  rows: DailyLogRow[];
  /** True daily loads of the history (the oracle's view; the planner only has the rounded, gappy log). */
  trueLoads: number[];
  body: AthleteBody;
  /** First day of the block (days since the epoch). */
  firstDay: number;
  /** Drives the block's randomness: one fork per day, so every policy meets the same luck on the same day. */
  blockRng: Prng;
  /** Drives the morning reports written before training in the block (one fork per day; its own stream, so the rest of the luck is unchanged). */
  reportRng: Prng;
}

/**
 * Athlete `index` of data seed `seed`, after `historyDays` of its own training (the generator's plan). `streams` are
 * consumed by the run: give each run of the same athlete a fresh array. Deterministic:
 * calling it again gives a fresh copy of the same athlete in the same state.
 */
export function blockStart(seed: number, index: number, historyDays: number, streams = athleteStreams({ athletes: index + 1, seed })): BlockStart {
  const s = streams[index]!;
  const firstDay = parseIsoDay(PLAN_START_DATE);
  const { rows, body, trueLoads } = simulateAthleteBody(s.params, firstDay, historyDays, s.rng);
  return { params: s.params, rows, trueLoads, body, firstDay: firstDay + historyDays, blockRng: s.athleteRng.fork('block'), reportRng: s.athleteRng.fork('block-reports') };
}
