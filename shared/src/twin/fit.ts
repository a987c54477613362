import { Prng } from '../random/prng.ts';
import type { TwinHistory } from './history.ts';
import { decayOf, initialLevel } from './response.ts';
import { cholesky, choleskySolve, drawFromPrecision, drawGamma, logDetFromCholesky, logGamma } from './numeric.ts';
import { DEFAULT_PRIOR, type PopulationPrior } from './prior.ts';
import type { TwinFit, TwinParams, TwinState } from './types.ts';

/** Grids of time constants (days), roughly log-spaced; the posterior over them is exact on the grid. */
export const FITNESS_TAUS = [20, 24, 28, 33, 39, 46, 54, 64];
export const FATIGUE_TAUS = [3, 4, 5.5, 7, 9, 11.5, 15, 20];
/** Fewer usable readiness reports than this and the fit is labelled as resting on the population prior. */
export const MIN_PERSONAL_DAYS = 42;
/** Days at the start of the log whose response is too sensitive to the assumed starting level to fit. */
const WARM_UP_DAYS = 14;
const PRIOR_SHAPE = 3;

export interface FitOptions {
  prior?: PopulationPrior;
  draws?: number;
  seed?: number;
}

interface CellFit {
  logEvidence: number;
  mean: number[];
  precisionChol: number[][];
  shape: number;
  rate: number;
}

/**
 * Bayesian fit of the twin to the athlete's own readiness reports: for every (fitness tau, fatigue tau) cell of the grid
 * a conjugate normal-inverse-gamma regression of readiness on the response's features (prior from `prior`), then the
 * posterior over cells from their marginal likelihoods and the prior on the time constants. Uncertainty comes as draws.
 */
export function fitTwin(history: TwinHistory, state: TwinState, options: FitOptions = {}): Omit<TwinFit, 'frailty'> {
  const prior = options.prior ?? DEFAULT_PRIOR;
  const nDraws = options.draws ?? 40;
  const w = state.historyW;
  const n = w.length;
  const rows: number[] = [];
  for (let t = Math.min(WARM_UP_DAYS, Math.max(0, n - 1)); t < n; t++) if (t >= 1 && Number.isFinite(history.readiness[t]!)) rows.push(t);
  // Too short to estimate anything: the prior alone (zero rows still give the prior's posterior).
  const start = initialLevel(w);
  const levels = (taus: number[]) =>
    taus.map((tau) => {
      const d = decayOf(tau);
      const out = new Float64Array(n);
      let s = start / (1 - d);
      for (let t = 0; t < n; t++) {
        s = s * d + w[t]!;
        out[t] = (1 - d) * s;
      }
      return out;
    });
  const fitLevels = levels(FITNESS_TAUS);
  const fatLevels = levels(FATIGUE_TAUS);
  // Features of morning t: F = Lfit_{t-1} - 1, G = -(Lfat_{t-1} - 1), Y = -(w_{t-1} - 1); target y = readiness.
  const m = rows.length;
  const y = new Float64Array(m);
  const yd = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const t = rows[k]!;
    y[k] = history.readiness[t]!;
    yd[k] = -(w[t - 1]! - 1);
  }
  const sum = (f: (k: number) => number) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += f(k);
    return s;
  };
  const sy = sum((k) => y[k]!);
  const syy = sum((k) => y[k]! * y[k]!);
  const sY = sum((k) => yd[k]!);
  const sYY = sum((k) => yd[k]! * yd[k]!);
  const sYy = sum((k) => yd[k]! * y[k]!);
  const fFeat = fitLevels.map((lv) => Float64Array.from(rows, (t) => lv[t - 1]! - 1));
  const gFeat = fatLevels.map((lv) => Float64Array.from(rows, (t) => -(lv[t - 1]! - 1)));
  const stats = (f: Float64Array) => ({ s: sum((k) => f[k]!), ss: sum((k) => f[k]! * f[k]!), sy: sum((k) => f[k]! * y[k]!), sY: sum((k) => f[k]! * yd[k]!) });
  const fStats = fFeat.map(stats);
  const gStats = gFeat.map(stats);

  const sigma0 = prior.residualSd;
  const a0 = PRIOR_SHAPE;
  const b0 = (a0 - 1) * sigma0 * sigma0;
  const m0 = [prior.baseline.mean, prior.fitnessGain.mean, prior.fatigueGain.mean, prior.dayAfterGain.mean];
  // Prior covariance of the coefficients is sigma^2 V0 with V0 = diag(sd^2 / sigma0^2): precision diag(sigma0^2 / sd^2).
  const p0 = [prior.baseline.sd, prior.fitnessGain.sd, prior.fatigueGain.sd, prior.dayAfterGain.sd].map((sd) => (sigma0 * sigma0) / (sd * sd));
  const logDetP0 = p0.reduce((a, v) => a + Math.log(v), 0);
  const m0p0m0 = m0.reduce((a, v, i) => a + v * v * p0[i]!, 0);

  const cells: { i: number; j: number; fit: CellFit; logPost: number }[] = [];
  for (let i = 0; i < FITNESS_TAUS.length; i++) {
    for (let j = 0; j < FATIGUE_TAUS.length; j++) {
      const F = fStats[i]!;
      const G = gStats[j]!;
      const ff = fFeat[i]!;
      const gg = gFeat[j]!;
      const sFG = sum((k) => ff[k]! * gg[k]!);
      const xtx = [
        [m, F.s, G.s, sY],
        [F.s, F.ss, sFG, F.sY],
        [G.s, sFG, G.ss, G.sY],
        [sY, F.sY, G.sY, sYY],
      ];
      const xty = [sy, F.sy, G.sy, sYy];
      const a = xtx.map((row, r) => row.map((v, c) => v + (r === c ? p0[r]! : 0)));
      const b = xty.map((v, r) => v + p0[r]! * m0[r]!);
      const l = cholesky(a);
      if (!l) continue;
      const mean = choleskySolve(l, b);
      const shape = a0 + m / 2;
      const rate = Math.max(1e-9, b0 + 0.5 * (syy + m0p0m0 - b.reduce((acc, v, r) => acc + v * mean[r]!, 0)));
      const logEvidence = 0.5 * (logDetP0 - logDetFromCholesky(l)) + a0 * Math.log(b0) - shape * Math.log(rate) + logGamma(shape) - logGamma(a0);
      const lt1 = (Math.log(FITNESS_TAUS[i]!) - prior.logFitnessTau.mean) / prior.logFitnessTau.sd;
      const lt2 = (Math.log(FATIGUE_TAUS[j]!) - prior.logFatigueTau.mean) / prior.logFatigueTau.sd;
      cells.push({ i, j, fit: { logEvidence, mean, precisionChol: l, shape, rate }, logPost: logEvidence - 0.5 * (lt1 * lt1 + lt2 * lt2) });
    }
  }
  const maxLog = Math.max(...cells.map((c) => c.logPost));
  const weights = cells.map((c) => Math.exp(c.logPost - maxLog));
  const total = weights.reduce((s, v) => s + v, 0);
  const probs = weights.map((v) => v / total);

  let logT1 = 0;
  let logT2 = 0;
  const coef = [0, 0, 0, 0];
  let variance = 0;
  cells.forEach((c, k) => {
    const p = probs[k]!;
    logT1 += p * Math.log(FITNESS_TAUS[c.i]!);
    logT2 += p * Math.log(FATIGUE_TAUS[c.j]!);
    c.fit.mean.forEach((v, r) => (coef[r]! += p * v));
    variance += (p * c.fit.rate) / (c.fit.shape - 1);
  });
  const params = toParams(Math.exp(logT1), Math.exp(logT2), coef);
  const rng = new Prng(options.seed ?? 1);
  const draws: TwinParams[] = [];
  for (let d = 0; d < nDraws; d++) {
    let u = rng.next();
    let k = 0;
    while (k < probs.length - 1 && u > probs[k]!) u -= probs[k++]!;
    const c = cells[k]!;
    const sigma2 = c.fit.rate / drawGamma(c.fit.shape, () => rng.next(), () => rng.normal());
    const z = [rng.normal(), rng.normal(), rng.normal(), rng.normal()].map((v) => v * Math.sqrt(sigma2));
    const dev = drawFromPrecision(c.fit.precisionChol, z);
    draws.push(toParams(FITNESS_TAUS[c.i]!, FATIGUE_TAUS[c.j]!, c.fit.mean.map((v, r) => v + dev[r]!)));
  }
  const personal = m >= MIN_PERSONAL_DAYS;
  const note = personal
    ? `Fitted on this device to ${m} days of your readiness reports and loads: fitness fades over about ${Math.round(params.fitnessTau)} days, fatigue over about ${Math.round(params.fatigueTau)}.`
    : `Too little history to fit your own twin (${m} usable days with readiness and load; ${MIN_PERSONAL_DAYS} needed): using the population prior${prior.athletes > 0 ? ` learned from ${prior.athletes} athletes` : ''}, so the bands are wide.`;
  return { params, draws, residualSd: Math.sqrt(variance), daysUsed: m, source: personal ? 'personal' : 'prior', note };
}

function toParams(fitnessTau: number, fatigueTau: number, coef: readonly number[]): TwinParams {
  return {
    fitnessTau,
    fatigueTau,
    baseline: coef[0]!,
    fitnessGain: Math.max(0.05, coef[1]!),
    fatigueGain: Math.max(0.05, coef[2]!),
    dayAfterGain: Math.max(0, coef[3]!),
  };
}
