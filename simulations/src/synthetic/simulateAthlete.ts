import type { DailyLogRow } from '@huddle/shared/log';
import type { Prng } from '@huddle/shared/random';
import { AthleteBody } from './athleteBody.ts';
import { weekday } from './calendar.ts';
import type { HiddenParams } from './hiddenParams.ts';
import { personalMicrocycle, plannedLoadFactor } from './trainingPlan.ts';

/** Days simulated before the first logged day so that fitness, fatigue and load windows start settled. */
const BURN_IN_DAYS = 56;
const RETURN_RAMP_DAYS = 14;
const SKIPPED_SESSION_RATE = 0.03;

/** One athlete's daily log for `days` days from `firstDay` (days since the epoch). */
export function simulateAthlete(params: HiddenParams, firstDay: number, days: number, rng: Prng): DailyLogRow[] {
  return simulateAthleteBody(params, firstDay, days, rng).rows;
}

/** The log and the athlete's body at its end (to carry on from, e.g. under a planner's loads). */
export function simulateAthleteBody(params: HiddenParams, firstDay: number, days: number, rng: Prng): { rows: DailyLogRow[]; body: AthleteBody; trueLoads: number[] } {
  const microcycle = personalMicrocycle(params);
  const capacity = params.chronicCapacity;
  const body = new AthleteBody(params);
  const rows: DailyLogRow[] = [];
  const trueLoads: number[] = [];

  let overloadLeft = 0;
  let overloadFactor = 1;

  for (let d = -BURN_IN_DAYS; d < days; d++) {
    const day = firstDay + d;
    const inLayoff = body.inLayoff;
    const morning = body.morning(rng);

    if (overloadLeft === 0 && weekday(day) === 0 && rng.bernoulli(params.overloadWeekRate)) {
      overloadLeft = 7;
      overloadFactor = rng.uniform(1.3, 1.7);
    }
    let load = 0;
    if (!inLayoff) {
      let factor = plannedLoadFactor(params, microcycle, day) * (overloadLeft > 0 ? overloadFactor : 1);
      const sinceReturn = day - body.returnDay;
      if (sinceReturn < RETURN_RAMP_DAYS) factor *= 0.4 + (0.6 * sinceReturn) / RETURN_RAMP_DAYS;
      if (factor > 0 && !rng.bernoulli(SKIPPED_SESSION_RATE)) {
        load = capacity * factor * Math.exp(rng.normal(0, 0.2));
        if (rng.bernoulli(params.spikeRate)) load *= rng.uniform(1.8, 2.6);
      }
    }
    if (overloadLeft > 0) overloadLeft--;
    const injury = body.train(day, load, morning.state, d >= 0, rng);
    if (d < 0) continue;
    trueLoads.push(load);
    rows.push(body.logRow(day, load, morning, injury, rng));
  }
  return { rows, body, trueLoads };
}
