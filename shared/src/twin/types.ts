/**
 * The personal twin: a Banister fitness-fatigue response fitted to the athlete's own readiness reports.
 * Loads are in units of the athlete's reference load `loadScale` (AU per day): w = sRPE load / loadScale.
 */
export interface TwinParams {
  /** Time constants (days) of fitness and fatigue. */
  fitnessTau: number;
  fatigueTau: number;
  /** Readiness points per unit of fitness / fatigue level (level = exponentially weighted mean of w). */
  fitnessGain: number;
  fatigueGain: number;
  /** Readiness points lost per unit of yesterday's load (next-morning soreness). */
  dayAfterGain: number;
  /** Readiness at the usual load (levels 1, yesterday 1). */
  baseline: number;
}

/** What the log says about the athlete now, besides the response parameters. */
export interface TwinState {
  /** Last logged day, YYYY-MM-DD; the plan starts the day after. */
  lastDate: string;
  /** Up to 28 most recent daily loads (AU), oldest first, missing days filled in. */
  recentLoads: number[];
  /** Whole-history loads in w units ending at lastDate (for the response's starting levels). */
  historyW: number[];
  /** AU per unit of w: the athlete's mean daily load over the history (population default when too little). */
  loadScale: number;
  /** Per weekday (0 = Monday), the athlete's usual share of a week's load, mean 1 (their microcycle). */
  weekdayPattern: number[];
  /** Injuries logged so far, and days since the last return to training (Infinity when never injured). */
  priorInjuries: number;
  daysSinceReturn: number;
  /** True when the last logged injury has not yet been followed by a day of training. */
  injuredNow: boolean;
}

export interface TwinFit {
  /** Posterior mean. */
  params: TwinParams;
  /** Posterior draws, for bands. */
  draws: TwinParams[];
  /** Residual SD of the readiness reports around the response (points). */
  residualSd: number;
  /** Readiness reports the fit used. */
  daysUsed: number;
  /** 'personal' when the log carried enough information, 'prior' when it is the population prior (too little history). */
  source: 'personal' | 'prior';
  /** Plain-words account of the fit, shown to the athlete. */
  note: string;
  /**
   * Posterior mean and variance of each field of the population prior (log time constants, log gain ratio, baseline,
   * fitness and day-after gains): the device's contribution to the federated prior (moments, `prior.ts`).
   */
  posterior: Record<'logFitnessTau' | 'logFatigueTau' | 'logGainRatio' | 'baseline' | 'fitnessGain' | 'dayAfterGain', { mean: number; variance: number }>;
  /** Personal injury-risk multiplier (posterior mean, shrunk to 1) and its gamma posterior (shape, rate). */
  frailty: { mean: number; shape: number; rate: number };
}

/** One planned day. Minutes and RPE per session; an empty session list is a rest day. */
export interface PlannedSession {
  rpe: number;
  minutes: number;
}

export interface PlannedDay {
  date: string;
  sessions: PlannedSession[];
}

export type PlanGoal =
  | { kind: 'build'; /** Day whose performance counts (the end of the block); default 28 days after the horizon. */ targetDate?: string }
  | { kind: 'taper'; /** Competition day: performance on that morning counts. */ targetDate: string }
  | { kind: 'return'; /** Largest load (AU) allowed on the first day back; the plan ramps up from there. */ returnLoad: number; rampDays?: number };

export interface PlanConstraints {
  /** Largest injury risk allowed over any planned calendar week (probability, e.g. 0.05). */
  maxWeeklyRisk: number;
  /** Acute:chronic (7:28 rolling) band; the upper end is a hard limit on training days. */
  acwrBand: [number, number];
  /** Weekdays (0 = Monday) that stay rest days. */
  restWeekdays: number[];
  /** Largest increase of a week's load over the previous 7 days (0.1 = +10%). */
  maxWeeklyIncrease: number;
  /** Largest daily load, AU. */
  maxDailyLoad: number;
  /** Largest Foster monotony (7-day mean / SD) of any planned day's week. */
  maxMonotony: number;
}

export const DEFAULT_CONSTRAINTS: PlanConstraints = {
  maxWeeklyRisk: 0.0275,
  acwrBand: [0.8, 1.3],
  restWeekdays: [],
  maxWeeklyIncrease: 0.1,
  maxDailyLoad: 2000,
  maxMonotony: 2,
};

/** Day-by-day what-if output. Bands are the 5th-95th percentiles over the twin's posterior draws. */
export interface WhatIfDay {
  date: string;
  load: number;
  readiness: number;
  readinessBand: [number, number];
  /** Probability of a new injury that day. */
  risk: number;
  riskBand: [number, number];
  acwr: number;
  monotony: number;
  /** Fitness and fatigue levels (w units) and form (fitness minus fatigue, readiness points). */
  fitness: number;
  fatigue: number;
  form: number;
  /** Banister performance (classic sums, twin units) on the morning after this day. */
  performance: number;
}

export interface WhatIfResult {
  days: WhatIfDay[];
  /** Injury risk over each calendar week of the plan (7-day blocks from its first day), with band. */
  weeklyRisk: { from: string; risk: number; band: [number, number] }[];
  /** Performance on the morning after the last day minus on the first morning. */
  performanceChange: number;
  totalLoad: number;
  warnings: string[];
}
