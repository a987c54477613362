import { fosterMonotony, loadRatio } from '../features/load-metrics.ts';
import { cholesky, choleskySolve } from './numeric.ts';
import { RECENT_RETURN_DAYS, type TwinHistory } from './history.ts';
import type { TwinState } from './types.ts';

/**
 * The twin's injury-risk response: a logistic model of one day's injury on the load features the planner controls.
 * Knees follow the sports-science literature (acute:chronic above 1.3, Foster monotony above 2, readiness below 6).
 * A personal frailty multiplies the odds.
 */
export const RISK_FEATURES = ['acwrAbove', 'monotonyAbove', 'readinessBelow', 'load', 'restDay', 'recentReturn', 'priorInjuries'] as const;
export type RiskFeature = (typeof RISK_FEATURES)[number];

export interface LoadRiskModel {
  intercept: number;
  coef: Record<RiskFeature, number>;
  /** Rows and injuries it was fitted on (0 for a hand-set model). */
  fittedOn: { days: number; injuries: number };
}

export const ACWR_KNEE = 1.3;
export const MONOTONY_KNEE = 2;
export const READINESS_KNEE = 6;
/**
 * Chronic-load floor (AU/day) of the twin's acute:chronic ratio once it has 28 days of log. The usual floor (50 AU/day)
 * hides the ratio's spike after a long lay-off (any load then gives acute = 4 x chronic), so the twin uses the ratio as
 * defined; with less than 28 days of log the usual floor stands (the days before the log are unknown, not rest).
 */
export const TWIN_CHRONIC_FLOOR = 0;
/** Loads above this many reference loads add no further exposure in the model (keeps extrapolation tame). */
const LOAD_CAP = 3;

/**
 * Default coefficients: fitted with `npm run plan -- fit-risk --seed 1` on 182-day history logs of 300 synthetic
 * athletes (data seed 1, the tuning seed; pooled in simulation). Synthetic, so a stand-in until a team fits its own.
 */
export const DEFAULT_RISK_MODEL: LoadRiskModel = {
  intercept: -6.813,
  coef: { acwrAbove: 2.017, monotonyAbove: 0.396, readinessBelow: 0.217, load: 0.67, restDay: -0.301, recentReturn: 0.902, priorInjuries: 0.024 },
  fittedOn: { days: 43337, injuries: 218 },
};

export interface RiskInputs {
  acwr: number;
  monotony: number;
  readiness: number;
  /** Today's load in reference loads. */
  w: number;
  daysSinceReturn: number;
  priorInjuries: number;
  /** Hours slept last night, when the morning's report says (planned days have none). */
  sleepHours?: number;
}

export function riskFeatureVector(x: RiskInputs): number[] {
  return [
    Math.max(0, x.acwr - ACWR_KNEE),
    Math.max(0, x.monotony - MONOTONY_KNEE),
    Math.max(0, READINESS_KNEE - x.readiness),
    Math.min(LOAD_CAP, Math.max(0, x.w)),
    x.w <= 0 ? 1 : 0,
    x.daysSinceReturn < RECENT_RETURN_DAYS ? 1 : 0,
    Math.min(4, x.priorInjuries),
  ];
}

/** Same features as riskFeatureVector, without allocating (the recommender calls it millions of times). */
export function riskLogit(model: LoadRiskModel, x: RiskInputs): number {
  const c = model.coef;
  return (
    model.intercept +
    c.acwrAbove * Math.max(0, x.acwr - ACWR_KNEE) +
    c.monotonyAbove * Math.max(0, x.monotony - MONOTONY_KNEE) +
    c.readinessBelow * Math.max(0, READINESS_KNEE - x.readiness) +
    c.load * Math.min(LOAD_CAP, Math.max(0, x.w)) +
    (x.w <= 0 ? c.restDay : 0) +
    (x.daysSinceReturn < RECENT_RETURN_DAYS ? c.recentReturn : 0) +
    c.priorInjuries * Math.min(4, x.priorInjuries)
  );
}

/** Probability of a new injury on the day, for an athlete whose odds are `frailty` times the model's. */
export function dailyRisk(model: LoadRiskModel, x: RiskInputs, frailty = 1): number {
  return 1 / (1 + Math.exp(-(riskLogit(model, x) + Math.log(frailty))));
}

/** The risk inputs of every logged day (reported readiness, the athlete's mean when missing); lay-off days are null. */
export function historyRiskInputs(history: TwinHistory, state: TwinState): (RiskInputs | null)[] {
  const n = history.loads.length;
  let rSum = 0;
  let rCount = 0;
  for (let t = 0; t < n; t++) {
    if (Number.isFinite(history.readiness[t]!)) {
      rSum += history.readiness[t]!;
      rCount++;
    }
  }
  const meanReadiness = rCount > 0 ? rSum / rCount : 7;
  const out: (RiskInputs | null)[] = new Array(n).fill(null);
  let acute = 0;
  let chronic = 0;
  const loads = history.loads;
  const week = new Array<number>(7).fill(0);
  for (let t = 0; t < n; t++) {
    acute += loads[t]!;
    chronic += loads[t]!;
    if (t >= 7) acute -= loads[t - 7]!;
    if (t >= 28) chronic -= loads[t - 28]!;
    if (history.layoff[t] === 1 || t < 27) continue;
    const readiness = history.readiness[t]!;
    for (let k = 0; k < 7; k++) week[k] = loads[t - 6 + k]!;
    out[t] = {
      acwr: loadRatio(acute / 7, chronic / 28, TWIN_CHRONIC_FLOOR),
      monotony: fosterMonotony(week),
      readiness: Number.isFinite(readiness) ? readiness : meanReadiness,
      w: loads[t]! / state.loadScale,
      daysSinceReturn: history.daysSinceReturn[t]!,
      priorInjuries: history.priorInjuries[t]!,
    };
  }
  return out;
}

/** Pooled logistic regression (Newton-Raphson, small ridge) of injury days on the risk features. */
export function fitLoadRiskModel(athletes: readonly { history: TwinHistory; state: TwinState }[], ridge = 10): LoadRiskModel {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (const { history, state } of athletes) {
    historyRiskInputs(history, state).forEach((x, t) => {
      if (!x) return;
      xs.push([1, ...riskFeatureVector(x)]);
      ys.push(history.injury[t]!);
    });
  }
  const k = RISK_FEATURES.length + 1;
  const injuries = ys.reduce((a, b) => a + b, 0);
  const beta = new Array<number>(k).fill(0);
  beta[0] = Math.log(Math.max(1, injuries) / Math.max(1, ys.length - injuries));
  for (let iter = 0; iter < 25; iter++) {
    const h = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const g = new Array<number>(k).fill(0);
    for (let r = 0; r < xs.length; r++) {
      const x = xs[r]!;
      let z = 0;
      for (let i = 0; i < k; i++) z += beta[i]! * x[i]!;
      const p = 1 / (1 + Math.exp(-z));
      const wgt = p * (1 - p);
      for (let i = 0; i < k; i++) {
        g[i]! += (ys[r]! - p) * x[i]!;
        for (let j = 0; j <= i; j++) h[i]![j]! += wgt * x[i]! * x[j]!;
      }
    }
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < i; j++) h[j]![i] = h[i]![j]!;
      if (i > 0) {
        h[i]![i]! += ridge;
        g[i]! -= ridge * beta[i]!;
      }
    }
    const l = cholesky(h);
    if (!l) break;
    const step = choleskySolve(l, g);
    // Step halving: a full Newton step can overshoot on separable days (e.g. every return after a long lay-off).
    const before = penalizedLogLik(xs, ys, beta, ridge);
    let t = 1;
    let next = beta.map((b, i) => b + step[i]!);
    while (t > 1e-4 && penalizedLogLik(xs, ys, next, ridge) < before) {
      t /= 2;
      next = beta.map((b, i) => b + t * step[i]!);
    }
    let size = 0;
    for (let i = 0; i < k; i++) {
      size = Math.max(size, Math.abs(next[i]! - beta[i]!));
      beta[i] = next[i]!;
    }
    if (size < 1e-6) break;
  }
  const coef = Object.fromEntries(RISK_FEATURES.map((name, i) => [name, beta[i + 1]!])) as Record<RiskFeature, number>;
  return { intercept: beta[0]!, coef, fittedOn: { days: ys.length, injuries } };
}

function penalizedLogLik(xs: readonly number[][], ys: readonly number[], beta: readonly number[], ridge: number): number {
  let ll = 0;
  for (let r = 0; r < xs.length; r++) {
    let z = 0;
    for (let i = 0; i < beta.length; i++) z += beta[i]! * xs[r]![i]!;
    // log p = -log(1 + e^-z), log(1 - p) = -log(1 + e^z), computed without overflow.
    ll -= ys[r]! ? Math.log1p(Math.exp(-Math.abs(z))) + Math.max(0, -z) : Math.log1p(Math.exp(-Math.abs(z))) + Math.max(0, z);
  }
  for (let i = 1; i < beta.length; i++) ll -= (ridge / 2) * beta[i]! ** 2;
  return ll;
}

/** Prior shape (and rate) of the gamma prior on the personal frailty: mean 1, SD 0.5. */
export const FRAILTY_PRIOR_SHAPE = 4;

/**
 * Upper quantile of the frailty's gamma posterior, `z` standard normal deviates above its median (Wilson-Hilferty;
 * z = 0 is about the median, 0.84 the 80th percentile): planning against it guards against an athlete whose injury
 * history is too short to say how frail they are.
 */
export function frailtyQuantile(frailty: { shape: number; rate: number }, z: number): number {
  const a = frailty.shape;
  const c = 1 / (9 * a);
  return (a / frailty.rate) * Math.max(0, 1 - c + z * Math.sqrt(c)) ** 3;
}

/** Gamma-Poisson posterior of the athlete's frailty: injuries observed against those the model expects. */
export function personalFrailty(history: TwinHistory, state: TwinState, model: LoadRiskModel): { mean: number; shape: number; rate: number } {
  let expected = 0;
  let observed = 0;
  historyRiskInputs(history, state).forEach((x, t) => {
    if (!x) return;
    expected += dailyRisk(model, x);
    observed += history.injury[t]!;
  });
  const shape = FRAILTY_PRIOR_SHAPE + observed;
  const rate = FRAILTY_PRIOR_SHAPE + expected;
  return { mean: shape / rate, shape, rate };
}
