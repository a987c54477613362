import { DEFAULT_CONSTRAINTS } from '@huddle/shared/twin';
/** The planner's tuned settings and the seeds: tuned on `tuneSeed` (`npm run plan -- tune`), reported on `reportSeed`. */
export const PLAN_TUNING = {
  tuneSeed: 1,
  reportSeed: 2,
  historyDays: 182,
  priorAthletes: 300,
  /** EM rounds of the federated prior (one secure sum of moment vectors each). */
  priorRounds: 8,
  injuryCost: 0.5,
  maxWeeklyRisk: DEFAULT_CONSTRAINTS.maxWeeklyRisk,
  /** The recommender plans against this upper quantile of each athlete's frailty posterior (standard normal deviates; undefined: its mean). */
  frailtyZ: undefined as number | undefined,
  /** Twin planners re-plan every morning after the athlete's report (false: once a week). */
  daily: false as boolean,
  /** The recommender's twin fills a day with no logged load with the load it planned for that day (false: the weekday mean). */
  fillPlanned: true as boolean,
} as const;
