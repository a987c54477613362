import { CHRONIC_LOAD_FLOOR, fosterMonotony, loadRatio } from '../features/load-metrics.ts';
import { decayOf, readinessOf, responseAfter, type ResponseState } from './response.ts';
import { TWIN_CHRONIC_FLOOR, type RiskInputs } from './risk.ts';
import type { TwinParams, TwinState } from './types.ts';

/** Probability of a new injury on a day with these inputs. */
export type RiskFn = (x: RiskInputs) => number;

/** What a plan is evaluated against: the athlete now, one set of response parameters and a risk response. */
export interface TwinModel {
  state: TwinState;
  params: TwinParams;
  risk: RiskFn;
  /**
   * This morning's report, on plan day `day` (the days before it are already trained): its readiness replaces the
   * twin's prediction in that day's risk (the risk model is fitted on reports), its sleep is passed to the risk response.
   */
  morning?: MorningObservation;
}

export interface MorningObservation {
  day: number;
  readiness?: number;
  sleepHours?: number;
}

/** Day-by-day trajectory of a plan (arrays indexed by plan day). */
export interface Trajectory {
  readiness: Float64Array;
  risk: Float64Array;
  acwr: Float64Array;
  monotony: Float64Array;
  fitness: Float64Array;
  fatigue: Float64Array;
  /** Performance on the morning after each day. */
  performance: Float64Array;
  /** Performance on the morning of `targetDay` (plan-day index; may lie past the plan: rest assumed in between). */
  targetPerformance: number;
  /** Performance on the first morning of the plan. */
  startPerformance: number;
}

/**
 * Runs the twin forward over planned daily loads (AU). Reuses its buffers: one evaluator per model, many plans
 * (the recommender calls it thousands of times).
 */
export class PlanEvaluator {
  private readonly start: ResponseState;
  private readonly d1: number;
  private readonly d2: number;
  private readonly week = new Array<number>(7).fill(0);
  private buf: Trajectory | null = null;
  private combined = new Float64Array(0);
  private readonly x: RiskInputs = { acwr: 1, monotony: 0, readiness: 7, w: 0, daysSinceReturn: 0, priorInjuries: 0 };

  constructor(readonly model: TwinModel) {
    this.start = responseAfter(model.params, model.state.historyW);
    this.d1 = decayOf(model.params.fitnessTau);
    this.d2 = decayOf(model.params.fatigueTau);
  }

  /** Days since the return to training on plan day d. */
  daysSinceReturn(d: number): number {
    const s = this.model.state;
    return s.injuredNow ? d : s.daysSinceReturn + d;
  }

  run(loads: ArrayLike<number>, targetDay = loads.length): Trajectory {
    const n = loads.length;
    if (!this.buf || this.buf.risk.length !== n) {
      const a = () => new Float64Array(n);
      this.buf = { readiness: a(), risk: a(), acwr: a(), monotony: a(), fitness: a(), fatigue: a(), performance: a(), targetPerformance: 0, startPerformance: 0 };
    }
    const out = this.buf;
    const { params: p, state, risk } = this.model;
    const recent = state.recentLoads;
    const h = recent.length;
    if (this.combined.length !== h + n) this.combined = new Float64Array(h + n);
    const all = this.combined;
    for (let i = 0; i < h; i++) all[i] = recent[i]!;
    let acute = 0;
    let chronic = 0;
    for (let i = Math.max(0, h - 28); i < h; i++) chronic += all[i]!;
    for (let i = Math.max(0, h - 7); i < h; i++) acute += all[i]!;
    let fitSum = this.start.fitSum;
    let fatSum = this.start.fatSum;
    let lastW = this.start.lastW;
    const scale = state.loadScale;
    const floor = h >= 28 ? TWIN_CHRONIC_FLOOR : CHRONIC_LOAD_FLOOR;
    out.startPerformance = p.fitnessGain * fitSum - p.fatigueGain * fatSum;
    for (let d = 0; d < n; d++) {
      const load = loads[d]!;
      const w = load / scale;
      const readiness = readinessOf(p, (1 - this.d1) * fitSum, (1 - this.d2) * fatSum, lastW);
      const i = h + d;
      all[i] = load;
      acute += load;
      chronic += load;
      if (i >= 7) acute -= all[i - 7]!;
      if (i >= 28) chronic -= all[i - 28]!;
      for (let k = 0; k < 7; k++) this.week[k] = i - 6 + k >= 0 ? all[i - 6 + k]! : 0;
      const acwr = loadRatio(acute / 7, chronic / 28, floor);
      const monotony = fosterMonotony(this.week);
      fitSum = fitSum * this.d1 + w;
      fatSum = fatSum * this.d2 + w;
      lastW = w;
      out.readiness[d] = readiness;
      out.acwr[d] = acwr;
      out.monotony[d] = monotony;
      out.fitness[d] = (1 - this.d1) * fitSum;
      out.fatigue[d] = (1 - this.d2) * fatSum;
      out.performance[d] = p.fitnessGain * fitSum - p.fatigueGain * fatSum;
      const x = this.x;
      x.acwr = acwr;
      x.monotony = monotony;
      x.readiness = readiness;
      x.w = w;
      x.daysSinceReturn = this.daysSinceReturn(d);
      x.priorInjuries = state.priorInjuries;
      x.sleepHours = undefined;
      const m = this.model.morning;
      if (m && m.day === d) {
        if (m.readiness !== undefined) x.readiness = m.readiness;
        x.sleepHours = m.sleepHours;
      }
      out.risk[d] = risk(x);
    }
    const gap = Math.max(0, targetDay - n);
    out.targetPerformance = p.fitnessGain * fitSum * this.d1 ** gap - p.fatigueGain * fatSum * this.d2 ** gap;
    return out;
  }
}

/** Risk of at least one injury over days [from, to) of a trajectory. */
export function riskOver(risk: ArrayLike<number>, from: number, to: number): number {
  let survive = 1;
  for (let d = from; d < Math.min(to, risk.length); d++) survive *= 1 - risk[d]!;
  return 1 - survive;
}
