import { dateFromDayNumber, dayNumber } from '../log/calendar-date.ts';
import { PlanEvaluator, riskOver, type TwinModel } from './evaluate.ts';
import { weekdayOf } from './history.ts';
import { steadyPerformancePerLoad } from './response.ts';
import type { PlanConstraints, PlanGoal } from './types.ts';

export interface RecommendRequest {
  /** First planned day; the day after the last logged day by default. */
  startDate?: string;
  /** Days returned: 7-14. */
  horizonDays: number;
  goal: PlanGoal;
  constraints: PlanConstraints;
  /** The plan it is compared with (AU per day, horizonDays long): the athlete's draft. Default: their usual week. */
  baseline?: readonly number[];
  /**
   * Loads (AU) already trained on the plan's first days (a re-plan during the week): kept as they are, and counted in
   * the week's limits, so the week keeps the constraints it was planned under.
   */
  done?: readonly number[];
}

export interface RecommendOptions {
  /** Cost of one expected injury, in days of performance at the usual load. Tuned on the tuning seed. */
  injuryCost?: number;
  /** Weeks past the horizon the optimizer looks ahead (toward the goal date). */
  lookaheadWeeks?: number;
  sweeps?: number;
}

export const DEFAULT_INJURY_COST = 0.2;
const RAMP_DAYS = 14;
const GENERIC_FLOOR_SHARE = 0.8;
/** No planned day above this many of the athlete's average days (a hard match day is about 2x). */
export const MAX_DAY_SHARE = 2.5;
/**
 * Hard-easy rule: no two days in a row above this many usual days. The twin's readiness falls after a hard day and the
 * learned risk model under-weights it (its readiness term is fitted on noisy reports); chosen on the tuning seed.
 */
export const HARD_DAY_SHARE = 1.15;
/** Levels (in usual days) the forward pass tries for each day or week. */
const MAX_LEVEL = 2.4;
const LEVEL_STEP = 0.15;

/** Everything the optimizer knows about the request, in plan-day indexes and AU. */
export interface PlanProblem {
  model: TwinModel;
  startDay: number;
  horizon: number;
  /** Days optimized: the horizon plus whole look-ahead weeks. */
  length: number;
  /** Plan-day index whose morning performance is the objective. */
  targetDay: number;
  goal: PlanGoal;
  constraints: PlanConstraints;
  /** Largest load (AU) of each day: 0 on fixed rest days, the return ramp, the daily maximum. */
  cap: Float64Array;
  /** Usual share of a week's load per plan day (0 on rest days). */
  pattern: Float64Array;
  /** Weekly risk limit of each 7-day block (the athlete's threshold, or the all-rest risk when that is higher). */
  weekRiskLimit: number[];
  /** Acute:chronic limit of each plan day: the band's top, or the all-rest plan's ratio when that is higher. */
  acwrLimit: Float64Array;
  /** Floor of the week-on-week rule: a week may always reach (1 + increase) x this. */
  weeklyFloor: number;
  injuryCost: number;
  perUnit: number;
  /** Leading plan days already trained (their loads are `fixedLoads`): the optimizer leaves them, per-day limits skip them. */
  fixed: number;
  fixedLoads: Float64Array;
}

export interface Violation {
  kind: 'risk' | 'acwr' | 'increase' | 'monotony' | 'hardDays';
  week: number;
  day: number;
  value: number;
  limit: number;
}

export function planProblem(model: TwinModel, req: RecommendRequest, options: RecommendOptions = {}): PlanProblem {
  const state = model.state;
  const startDay = req.startDate ? dayNumber(req.startDate) : dayNumber(state.lastDate) + 1;
  const horizon = Math.max(1, Math.min(28, Math.round(req.horizonDays)));
  const goal = req.goal;
  let targetDay = horizon + 28;
  if (goal.kind !== 'return' && goal.targetDate) targetDay = Math.max(1, dayNumber(goal.targetDate) - startDay);
  const lookahead = options.lookaheadWeeks ?? 6;
  const extraWeeks = Math.max(0, Math.min(lookahead, Math.ceil((targetDay - horizon) / 7)));
  const length = horizon + 7 * extraWeeks;
  const c = req.constraints;
  const scale = state.loadScale;
  const cap = new Float64Array(length);
  const pattern = new Float64Array(length);
  const rest = new Set(c.restWeekdays);
  for (let d = 0; d < length; d++) {
    const wd = weekdayOf(startDay + d);
    cap[d] = rest.has(wd) ? 0 : Math.min(c.maxDailyLoad, MAX_DAY_SHARE * scale);
    pattern[d] = rest.has(wd) ? 0 : Math.max(0.15, state.weekdayPattern[wd]!);
    if (goal.kind === 'return') {
      const ramp = goal.rampDays ?? RAMP_DAYS;
      const full = Math.max(goal.returnLoad, 1.5 * scale);
      cap[d] = Math.min(cap[d]!, goal.returnLoad + ((full - goal.returnLoad) * d) / ramp);
    }
  }
  const weeklyFloor = goal.kind === 'return' ? 7 * goal.returnLoad : 7 * GENERIC_FLOOR_SHARE * scale;
  const problem: PlanProblem = {
    model, startDay, horizon, length, targetDay, goal, constraints: c, cap, pattern, weekRiskLimit: [], acwrLimit: new Float64Array(length), weeklyFloor,
    injuryCost: options.injuryCost ?? DEFAULT_INJURY_COST,
    perUnit: Math.max(1e-3, steadyPerformancePerLoad(model.params)),
    fixed: 0,
    fixedLoads: new Float64Array(0),
  };
  const done = (req.done ?? []).slice(0, horizon).map((l) => Math.max(0, l));
  problem.fixed = done.length;
  problem.fixedLoads = Float64Array.from(done);
  const restPlan = new Float64Array(length);
  restPlan.set(problem.fixedLoads);
  const rest0 = new PlanEvaluator(model).run(restPlan, targetDay);
  for (let d = 0; d < length; d++) problem.acwrLimit[d] = Math.max(c.acwrBand[1], rest0.acwr[d]! + 1e-6);
  for (let k = 0; k * 7 < length; k++) problem.weekRiskLimit.push(Math.max(c.maxWeeklyRisk, riskOver(rest0.risk, 7 * k, 7 * k + 7) * 1.02 + 1e-4));
  return problem;
}

/** Every constraint a plan breaks, by week and day. */
export function violations(problem: PlanProblem, loads: ArrayLike<number>, evaluator = new PlanEvaluator(problem.model)): Violation[] {
  const t = evaluator.run(loads, problem.targetDay);
  const out: Violation[] = [];
  const recent = problem.model.state.recentLoads;
  for (let k = 0; k * 7 < loads.length; k++) {
    const from = 7 * k;
    const to = Math.min(loads.length, from + 7);
    const r = riskOver(t.risk, from, to);
    if (r > problem.weekRiskLimit[k]! + 1e-9) out.push({ kind: 'risk', week: k, day: from, value: r, limit: problem.weekRiskLimit[k]! });
    const total = sumRange(loads, from, to);
    const prev = previousSeven(recent, loads, from);
    const limit = (1 + problem.constraints.maxWeeklyIncrease) * Math.max(prev, problem.weeklyFloor) * ((to - from) / 7);
    if (total > limit + 1e-6) out.push({ kind: 'increase', week: k, day: from, value: total, limit });
  }
  for (let d = problem.fixed; d < loads.length; d++) {
    if (loads[d]! > 0 && t.acwr[d]! > problem.acwrLimit[d]! + 1e-9) out.push({ kind: 'acwr', week: Math.floor(d / 7), day: d, value: t.acwr[d]!, limit: problem.acwrLimit[d]! });
    const hard = hardPairExcess(problem, loads, d);
    if (hard > 1e-9) out.push({ kind: 'hardDays', week: Math.floor(d / 7), day: d, value: HARD_DAY_SHARE + hard, limit: HARD_DAY_SHARE });
    if (loads[d]! > 0 && t.monotony[d]! > problem.constraints.maxMonotony + 1e-9) out.push({ kind: 'monotony', week: Math.floor(d / 7), day: d, value: t.monotony[d]!, limit: problem.constraints.maxMonotony });
  }
  return out;
}

/**
 * How far (in usual days) plan day d and the day before are both above a hard day (HARD_DAY_SHARE usual days): 0 when
 * they are not two hard days in a row. The day before the plan is the last logged day.
 */
export function hardPairExcess(problem: PlanProblem, loads: ArrayLike<number>, d: number): number {
  const scale = problem.model.state.loadScale;
  const recent = problem.model.state.recentLoads;
  const prev = d > 0 ? loads[d - 1]! : (recent[recent.length - 1] ?? 0);
  return Math.max(0, Math.min(loads[d]!, prev) / scale - HARD_DAY_SHARE);
}

function sumRange(xs: ArrayLike<number>, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s;
}

/** Total of the 7 days before plan day `from` (logged days before the plan, planned days after). */
function previousSeven(recent: readonly number[], loads: ArrayLike<number>, from: number): number {
  let s = 0;
  for (let i = from - 7; i < from; i++) s += i >= 0 ? loads[i]! : (recent[recent.length + i] ?? 0);
  return s;
}

/** Objective: performance on the target morning (in days of usual training) minus the cost of expected injuries, minus a large penalty per unit of violation. */
export function planScore(problem: PlanProblem, evaluator: PlanEvaluator, loads: Float64Array): number {
  const t = evaluator.run(loads, problem.targetDay);
  let injuries = 0;
  for (let d = 0; d < loads.length; d++) injuries += t.risk[d]!;
  let penalty = 0;
  const recent = problem.model.state.recentLoads;
  const scale = problem.model.state.loadScale;
  for (let k = 0; k * 7 < loads.length; k++) {
    const from = 7 * k;
    const to = Math.min(loads.length, from + 7);
    const r = riskOver(t.risk, from, to);
    if (r > problem.weekRiskLimit[k]!) penalty += 1 + 100 * (r - problem.weekRiskLimit[k]!);
    const total = sumRange(loads, from, to);
    const limit = (1 + problem.constraints.maxWeeklyIncrease) * Math.max(previousSeven(recent, loads, from), problem.weeklyFloor) * ((to - from) / 7);
    if (total > limit) penalty += 1 + (total - limit) / scale;
  }
  const maxMono = problem.constraints.maxMonotony;
  for (let d = problem.fixed; d < loads.length; d++) {
    const hard = hardPairExcess(problem, loads, d);
    if (hard > 0) penalty += 1 + hard;
    if (loads[d]! <= 0) continue;
    if (t.acwr[d]! > problem.acwrLimit[d]!) penalty += 1 + 10 * (t.acwr[d]! - problem.acwrLimit[d]!);
    if (t.monotony[d]! > maxMono) penalty += 1 + (t.monotony[d]! - maxMono);
  }
  return t.targetPerformance / problem.perUnit - problem.injuryCost * injuries - 1000 * penalty;
}

/**
 * Model-predictive control on the twin: the first `horizon` days are free day by day, the look-ahead weeks (up to the goal
 * date) follow the athlete's usual week at a free level. A line search over the level of the usual week, then coordinate
 * search (days and week levels, shrinking steps), keeping every constraint. Returns loads (AU) over the whole length.
 */
export function optimizePlan(problem: PlanProblem, options: RecommendOptions = {}): Float64Array {
  const evaluator = new PlanEvaluator(problem.model);
  const { length, horizon, cap, pattern } = problem;
  const scale = problem.model.state.loadScale;
  const weeks = Math.ceil((length - horizon) / 7);
  const dayW = new Float64Array(horizon);
  const weekA = new Float64Array(weeks);
  const loads = new Float64Array(length);
  const fixed = problem.fixed;
  const build = () => {
    for (let d = 0; d < horizon; d++) loads[d] = d < fixed ? problem.fixedLoads[d]! : Math.min(cap[d]!, dayW[d]! * scale);
    for (let d = horizon; d < length; d++) loads[d] = Math.min(cap[d]!, weekA[Math.floor((d - horizon) / 7)]! * pattern[d]! * scale);
    return loads;
  };
  // Forward pass: each variable in time order takes its best level with the later ones still at rest (a rest plan is
  // always feasible, and the week-on-week chain is built up in order); then coordinate refinement.
  let best = planScore(problem, evaluator, build());
  for (let v = 0; v < horizon + weeks; v++) {
    const arr = v < horizon ? dayW : weekA;
    const i = v < horizon ? v : v - horizon;
    const unit = v < horizon ? Math.max(0.15, pattern[i]!) : 1;
    if (v < horizon && (cap[i]! <= 0 || i < fixed)) continue;
    let bestValue = 0;
    for (let level = 0.15; level <= MAX_LEVEL + 1e-9; level += LEVEL_STEP) {
      arr[i] = level * unit;
      const sc = planScore(problem, evaluator, build());
      if (sc > best + 1e-9) {
        best = sc;
        bestValue = arr[i]!;
      }
    }
    arr[i] = bestValue;
  }
  const steps = [0.1];
  const sweeps = options.sweeps ?? steps.length;
  for (let s = 0; s < sweeps; s++) {
    const step = steps[Math.min(s, steps.length - 1)]!;
    for (let v = 0; v < horizon + weeks; v++) {
      const arr = v < horizon ? dayW : weekA;
      const i = v < horizon ? v : v - horizon;
      if (v < horizon && (cap[i]! <= 0 || i < fixed)) continue;
      const current = arr[i]!;
      let bestValue = current;
      for (const delta of [-step, step]) {
        const candidate = Math.max(0, current + delta);
        if (candidate === current) continue;
        arr[i] = candidate;
        const sc = planScore(problem, evaluator, build());
        if (sc > best + 1e-9) {
          best = sc;
          bestValue = candidate;
        }
      }
      arr[i] = bestValue;
    }
  }
  build();
  // Loads are rounded to whole AU; a rounding that broke a limit falls back to the largest feasible scaling.
  for (let d = fixed; d < length; d++) loads[d] = Math.floor(loads[d]!);
  if (violations(problem, loads, evaluator).length > 0) {
    const base = Float64Array.from(loads);
    for (let f = 0.98; f >= 0; f -= 0.02) {
      for (let d = fixed; d < length; d++) loads[d] = Math.floor(base[d]! * f);
      if (violations(problem, loads, evaluator).length === 0) break;
    }
  }
  return loads;
}

export function planStartDate(model: TwinModel, startDate?: string): string {
  return startDate ?? dateFromDayNumber(dayNumber(model.state.lastDate) + 1);
}

export interface Recommendation {
  startDate: string;
  /** Recommended loads (AU) of the horizon's days. */
  loads: number[];
  /** What it was compared with: the draft, or the usual week at the recent level. */
  baseline: number[];
  reasons: import('./explain.ts').DayReason[];
  /** Twin's injury risk of each calendar week of the horizon under the recommendation, and its limit. */
  weeklyRisk: { risk: number; limit: number }[];
  /** Limits the athlete's own threshold could not meet even with rest (said plainly). */
  notes: string[];
}

/** The usual week (the athlete's weekly pattern) at the level of their last 28 days. */
export function usualWeek(problem: PlanProblem): number[] {
  const recent = problem.model.state.recentLoads;
  const level = recent.length > 0 ? recent.reduce((a, b) => a + b, 0) / recent.length : problem.model.state.loadScale;
  return Array.from({ length: problem.horizon }, (_, d) => Math.min(problem.cap[d]! > 0 ? Infinity : 0, Math.round(level * problem.pattern[d]!)));
}
