import type { DailyLogRow } from '@huddle/shared/log';
import { dateFromDayNumber } from '@huddle/shared/log';
import { rollingAcwr } from '@huddle/shared/features';
import {
  buildTwin, DEFAULT_CONSTRAINTS, frailtyQuantile, optimizePlan, planProblem, twinHistory, twinModel, twinState,
  type LoadRiskModel, type PlanConstraints, type PlanGoal, type PopulationPrior, type TwinModel, type TwinParams, type TwinState,
} from '@huddle/shared/twin';
import type { AthleteBody } from '../synthetic/athleteBody.ts';
import type { MorningReport, MorningState } from '../synthetic/morningState.ts';
import { injuryHazard } from '../synthetic/injuryHazard.ts';

/** What a policy sees when it plans the next 7 days. Only the oracle reads `body` and `trueLoads`. */
export interface PlanContext {
  rows: readonly DailyLogRow[];
  trueLoads: readonly number[];
  body: AthleteBody;
  /** Calendar day (days since the epoch) of the first planned day, and the block's first and last day. */
  day: number;
  blockFirstDay: number;
  blockLastDay: number;
  /** Days since the athlete came back from the last lay-off (the athlete knows; large when never injured). */
  daysSinceReturn: number;
  injured: boolean;
}

/** What the morning brings before training. */
export interface MorningSeen {
  /** What the athlete wrote this morning (null: no report today). */
  report: MorningReport | null;
  /** The true morning state: only the oracle reads it. */
  truth: MorningState;
}

export interface Policy {
  name: string;
  /** Loads (AU) for the 7 days from ctx.day. */
  plan(ctx: PlanContext): number[];
  /**
   * Every morning the athlete is not laid off, after the report and before training: the current plan (from its first
   * day) revised from today on. Absent: the plan stands.
   */
  morning?(ctx: PlanContext, plan: { start: number; loads: number[] }, seen: MorningSeen): number[];
}

const STATIC_WEEKS = [1.0, 1.1, 1.2, 0.7];
const STATIC_PROGRESSION = 0.05;
const RTP_DAYS = 14;

/** The usual return-to-play ramp: 40% of the plan on the first day back, 100% after 14 days. */
export function returnRamp(daysSinceReturn: number): number {
  return daysSinceReturn < RTP_DAYS ? 0.4 + (0.6 * Math.max(0, daysSinceReturn)) / RTP_DAYS : 1;
}

function usual(rows: readonly DailyLogRow[], historyEnd: number): TwinState {
  // Scale and weekly pattern come from the history before the block, as a coach would set them.
  const h = twinHistory(rows.slice(0, historyEnd));
  return twinState(h, '2000-01-01');
}

const weekday = (day: number) => (((day + 3) % 7) + 7) % 7;

/** Static periodization: the athlete's usual week at 1.0, 1.1, 1.2 then 0.7 of their usual load, +5% every 4 weeks; the usual return ramp after an injury. */
export function staticPolicy(historyEnd: number): Policy {
  let base: TwinState | null = null;
  return {
    name: 'static',
    plan(ctx) {
      base ??= usual(ctx.rows, historyEnd);
      return Array.from({ length: 7 }, (_, i) => {
        const day = ctx.day + i;
        const week = Math.floor((day - ctx.blockFirstDay) / 7);
        const factor = STATIC_WEEKS[week % 4]! * (1 + STATIC_PROGRESSION * Math.floor(week / 4));
        return base!.loadScale * base!.weekdayPattern[weekday(day)]! * factor * returnRamp(ctx.daysSinceReturn + i);
      });
    },
  };
}

/** ACWR-capped rule: the usual week growing 5% a week, each day cut so the 7:28 acute:chronic ratio stays at or below 1.3. */
export function acwrRulePolicy(historyEnd: number, cap = 1.3): Policy {
  let base: TwinState | null = null;
  return {
    name: 'acwrRule',
    plan(ctx) {
      base ??= usual(ctx.rows, historyEnd);
      const loads = ctx.rows.map((r) => r.srpeLoad ?? 0);
      const out: number[] = [];
      for (let i = 0; i < 7; i++) {
        const day = ctx.day + i;
        const week = Math.floor((day - ctx.blockFirstDay) / 7);
        const target = base.loadScale * base.weekdayPattern[weekday(day)]! * (1 + STATIC_PROGRESSION) ** week;
        loads.push(target);
        let load = target;
        if (rollingAcwr(loads, loads.length - 1) > cap) {
          // Largest load keeping the ratio at the cap: acute/7 = cap * chronic/28 solved for today's load.
          const t = loads.length - 1;
          let acuteRest = 0;
          let chronicRest = 0;
          for (let k = Math.max(0, t - 27); k < t; k++) {
            chronicRest += loads[k]!;
            if (k > t - 7) acuteRest += loads[k]!;
          }
          load = Math.max(0, Math.min(target, (cap * chronicRest - 4 * acuteRest) / (4 - cap)));
          loads[t] = load;
        }
        out.push(load);
      }
      return out;
    },
  };
}

export interface TwinPlannerOptions {
  constraints?: PlanConstraints;
  injuryCost?: number;
  /** Return-goal first-day load, as a share of the athlete's usual daily load. */
  returnShare?: number;
  /** Recommended only: plan against this upper quantile of the frailty posterior (standard normal deviates; 0 = median). */
  frailtyZ?: number;
  /** Re-plan every morning from the athlete's report (the week's constraints kept), not only once a week. */
  daily?: boolean;
  /** Recommended only: a day the log has no load for takes the load the policy planned for it (the app keeps accepted plans). */
  fillPlanned?: boolean;
}

/** One week's MPC request, kept so the morning re-plans solve the same week. */
interface WeekPlan {
  model: TwinModel;
  start: number;
  goal: PlanGoal;
}

function twinPlan(model: TwinModel, ctx: PlanContext, o: TwinPlannerOptions): { week: WeekPlan; loads: number[] } {
  const returning = ctx.daysSinceReturn === 0;
  const goal: PlanGoal = returning
    ? { kind: 'return', returnLoad: (o.returnShare ?? 0.4) * model.state.loadScale }
    : { kind: 'build', targetDate: dateFromDayNumber(ctx.blockLastDay + 1) };
  const week = { model, start: ctx.day, goal };
  return { week, loads: solveWeek(week, [], o) };
}

function solveWeek(week: WeekPlan, done: number[], o: TwinPlannerOptions, morning?: TwinModel['morning']): number[] {
  const model = morning ? { ...week.model, morning } : week.model;
  const req = { startDate: dateFromDayNumber(week.start), horizonDays: 7, goal: week.goal, constraints: o.constraints ?? DEFAULT_CONSTRAINTS, done };
  const problem = planProblem(model, req, { injuryCost: o.injuryCost });
  return Array.from(optimizePlan(problem, { injuryCost: o.injuryCost }).subarray(0, 7));
}

/**
 * A twin planner's policy: a full plan at the start of each week, and with `daily` a re-plan of the same week every
 * morning: the days already trained are kept as logged (`loggedOf`) and this morning's readiness and sleep (`seenOf`)
 * replace the twin's prediction for today.
 */
function twinPolicy(
  name: string,
  o: TwinPlannerOptions,
  modelOf: (ctx: PlanContext) => TwinModel,
  loggedOf: (ctx: PlanContext, k: number, planned: readonly number[]) => number[],
  seenOf: (seen: MorningSeen) => { readiness?: number; sleepHours?: number },
): Policy {
  let week: WeekPlan | null = null;
  const policy: Policy = {
    name,
    plan(ctx) {
      week = null;
      if (ctx.injured) return new Array<number>(7).fill(0);
      const r = twinPlan(modelOf(ctx), ctx, o);
      week = r.week;
      return r.loads;
    },
  };
  if (o.daily) {
    policy.morning = (ctx, plan, seen) => {
      const k = ctx.day - plan.start;
      if (!week || week.start !== plan.start || k < 0 || k >= 7) return plan.loads;
      return solveWeek(week, loggedOf(ctx, k, plan.loads), o, { day: k, ...seenOf(seen) });
    };
  }
  return policy;
}

/** The last k logged loads (the days of this week already trained); the planned load where the log has none. */
function loggedDays(ctx: PlanContext, k: number, planned: readonly number[]): number[] {
  const rows = ctx.rows.slice(ctx.rows.length - k);
  return rows.map((r, i) => r.srpeLoad ?? planned[i] ?? 0);
}

/**
 * The recommender on the twin it fits from the log so far (re-fitted at every plan). With `fillPlanned` it remembers
 * what it planned, as the app keeps the plans the athlete accepted, and the twin fills unlogged days with it.
 */
export function recommendedPolicy(prior: PopulationPrior, riskModel: LoadRiskModel, o: TwinPlannerOptions = {}): Policy {
  const planned = new Map<string, number>();
  const policy = twinPolicy(
    'recommended',
    o,
    (ctx) => {
      const twin = buildTwin(ctx.rows, { prior, riskModel, draws: 0, ...(o.fillPlanned ? { planned } : {}) });
      const frailty = o.frailtyZ === undefined ? twin.fit.frailty.mean : frailtyQuantile(twin.fit.frailty, o.frailtyZ);
      return twinModel(twin, twin.fit.params, frailty);
    },
    loggedDays,
    ({ report }) => (report ? { readiness: report.readiness, sleepHours: report.sleepHours } : {}),
  );
  if (!o.fillPlanned) return policy;
  const keep = (start: number, loads: number[]) => {
    loads.forEach((load, k) => planned.set(dateFromDayNumber(start + k), load));
    return loads;
  };
  const morning = policy.morning;
  return {
    ...policy,
    plan: (ctx) => keep(ctx.day, policy.plan(ctx)),
    ...(morning ? { morning: (ctx: PlanContext, plan: { start: number; loads: number[] }, seen: MorningSeen) => keep(plan.start, morning(ctx, plan, seen)) } : {}),
  };
}

/** The athlete's true response in the twin's terms (expected morning readiness of the generator, noise-free). */
export function trueTwinParams(body: AthleteBody): TwinParams {
  const p = body.params;
  const c = 1.1 + 3 * p.hrvSensitivity;
  return { fitnessTau: p.fitnessTau, fatigueTau: p.fatigueTau, fitnessGain: c * p.fitnessGain, fatigueGain: c * p.fatigueGain, dayAfterGain: 0.55, baseline: 7 };
}

/** The same recommender, knowing the true parameters, the true loads and the true hazard (the upper reference). */
export function oraclePolicy(o: TwinPlannerOptions = {}): Policy {
  return twinPolicy(
    'oracle',
    o,
    (ctx) => {
      const p = ctx.body.params;
      const capacity = p.chronicCapacity;
      const loads = ctx.trueLoads;
      const state: TwinState = {
        lastDate: dateFromDayNumber(ctx.day - 1),
        recentLoads: loads.slice(-28),
        historyW: loads.map((l) => l / capacity),
        loadScale: capacity,
        weekdayPattern: usual(ctx.rows, ctx.rows.length).weekdayPattern,
        priorInjuries: ctx.body.priorInjuries,
        daysSinceReturn: ctx.daysSinceReturn,
        injuredNow: false,
      };
      const model: TwinModel = {
        state,
        params: trueTwinParams(ctx.body),
        risk: (x) =>
          injuryHazard(
            { acuteChronicRatio: x.acwr, monotony: x.monotony, readiness: x.readiness, sleepHours: x.sleepHours ?? p.habitualSleepHours, loadRatio: x.w, daysSinceReturn: x.daysSinceReturn, priorInjuries: x.priorInjuries },
            p.injuryFrailty,
          ),
      };
      return model;
    },
    (ctx, k) => ctx.trueLoads.slice(ctx.trueLoads.length - k),
    ({ truth }) => ({ readiness: truth.readiness, sleepHours: truth.sleepHours }),
  );
}
