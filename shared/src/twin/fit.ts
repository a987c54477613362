import { Prng } from '../random/prng.ts';
import type { TwinHistory } from './history.ts';
import { decayOf, initialLevel } from './response.ts';
import { choleskySolve, drawFromPrecision, drawGamma, logDetFromCholesky, logGamma } from './numeric.ts';
import { DEFAULT_PRIOR, type PopulationPrior } from './prior.ts';
import type { TwinFit, TwinParams, TwinState } from './types.ts';

/** Grids of time constants (days), roughly log-spaced; the posterior over them is exact on the grid. */
export const FITNESS_TAUS = [20, 24, 28, 33, 39, 46, 54, 64];
export const FATIGUE_TAUS = [3, 4, 5.5, 7, 9, 11.5, 15, 20];
/**
 * Grid of the fatigue-to-fitness gain ratio r (fatigue gain = r x fitness gain). Readiness alone pins the two gains down
 * poorly; the ratio is what decides how much training is worth, so it gets its own (population) prior.
 */
export const GAIN_RATIOS = [1.1, 1.3, 1.55, 1.8, 2.1, 2.5, 2.95, 3.5, 4.2, 5];
/** Fewer usable readiness reports than this and the fit is labelled as resting on the population prior. */
export const MIN_PERSONAL_DAYS = 42;
/** Days at the start of the log whose response is too sensitive to the assumed starting level to fit. */
const WARM_UP_DAYS = 14;
const PRIOR_SHAPE = 3;
const UNIT = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

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
  // Coefficients [baseline, fitness gain, day-after gain]; the fatigue gain is r x the fitness gain.
  const m0 = [prior.baseline.mean, prior.fitnessGain.mean, prior.dayAfterGain.mean];
  // Prior covariance of the coefficients is sigma^2 V0 with V0 = diag(sd^2 / sigma0^2): precision diag(sigma0^2 / sd^2).
  const p0 = [prior.baseline.sd, prior.fitnessGain.sd, prior.dayAfterGain.sd].map((sd) => (sigma0 * sigma0) / (sd * sd));
  const logDetP0 = p0.reduce((a, v) => a + Math.log(v), 0);
  const m0p0m0 = m0.reduce((a, v, i) => a + v * v * p0[i]!, 0);

  const cells: { i: number; j: number; r: number; fit: CellFit; logPost: number }[] = [];
  for (let i = 0; i < FITNESS_TAUS.length; i++) {
    for (let j = 0; j < FATIGUE_TAUS.length; j++) {
      const F = fStats[i]!;
      const G = gStats[j]!;
      const ff = fFeat[i]!;
      const gg = gFeat[j]!;
      const sFG = sum((k) => ff[k]! * gg[k]!);
      for (let r = 0; r < GAIN_RATIOS.length; r++) {
        // Response feature H = F + ratio G, from the sums of F and G (no pass over the rows).
        const q = GAIN_RATIOS[r]!;
        const hS = F.s + q * G.s;
        const hSS = F.ss + 2 * q * sFG + q * q * G.ss;
        const hY = F.sY + q * G.sY;
        const hy = F.sy + q * G.sy;
        const l = cholesky3(m + p0[0]!, hS, sY, hSS + p0[1]!, hY, sYY + p0[2]!);
        if (!l) continue;
        const b = [sy + p0[0]! * m0[0]!, hy + p0[1]! * m0[1]!, sYy + p0[2]! * m0[2]!];
        const mean = choleskySolve(l, b);
        const shape = a0 + m / 2;
        const rate = Math.max(1e-9, b0 + 0.5 * (syy + m0p0m0 - (b[0]! * mean[0]! + b[1]! * mean[1]! + b[2]! * mean[2]!)));
        const logEvidence = 0.5 * (logDetP0 - logDetFromCholesky(l)) + a0 * Math.log(b0) - shape * Math.log(rate) + logGamma(shape) - logGamma(a0);
        const lt1 = (Math.log(FITNESS_TAUS[i]!) - prior.logFitnessTau.mean) / prior.logFitnessTau.sd;
        const lt2 = (Math.log(FATIGUE_TAUS[j]!) - prior.logFatigueTau.mean) / prior.logFatigueTau.sd;
        const lr = (Math.log(q) - prior.logGainRatio.mean) / prior.logGainRatio.sd;
        cells.push({ i, j, r, fit: { logEvidence, mean, precisionChol: l, shape, rate }, logPost: logEvidence - 0.5 * (lt1 * lt1 + lt2 * lt2 + lr * lr) });
      }
    }
  }
  const maxLog = Math.max(...cells.map((c) => c.logPost));
  const weights = cells.map((c) => Math.exp(c.logPost - maxLog));
  const total = weights.reduce((s, v) => s + v, 0);
  const probs = weights.map((v) => v / total);

  // Posterior means and second moments (mixture over cells) of the prior's fields: what the device adds to the sum.
  const moments = { logFitnessTau: [0, 0], logFatigueTau: [0, 0], logGainRatio: [0, 0], baseline: [0, 0], fitnessGain: [0, 0], dayAfterGain: [0, 0] };
  const add = (key: keyof typeof moments, p: number, value: number, variance = 0) => {
    moments[key][0]! += p * value;
    moments[key][1]! += p * (value * value + variance);
  };
  let fatigueGain = 0;
  let variance = 0;
  cells.forEach((c, k) => {
    const p = probs[k]!;
    if (p < 1e-7) return;
    const s2 = c.fit.rate / (c.fit.shape - 1);
    const diag = [0, 1, 2].map((d) => s2 * choleskySolve(c.fit.precisionChol, UNIT[d]!)[d]!);
    add('logFitnessTau', p, Math.log(FITNESS_TAUS[c.i]!));
    add('logFatigueTau', p, Math.log(FATIGUE_TAUS[c.j]!));
    add('logGainRatio', p, Math.log(GAIN_RATIOS[c.r]!));
    add('baseline', p, c.fit.mean[0]!, diag[0]);
    add('fitnessGain', p, c.fit.mean[1]!, diag[1]);
    add('dayAfterGain', p, c.fit.mean[2]!, diag[2]);
    fatigueGain += p * GAIN_RATIOS[c.r]! * c.fit.mean[1]!;
    variance += p * s2;
  });
  const posterior = Object.fromEntries(Object.entries(moments).map(([key, [mean, second]]) => [key, { mean: mean!, variance: Math.max(0, second! - mean! * mean!) }])) as TwinFit['posterior'];
  const coef = [moments.baseline[0]!, moments.fitnessGain[0]!, fatigueGain, moments.dayAfterGain[0]!];
  const logT1 = moments.logFitnessTau[0]!;
  const logT2 = moments.logFatigueTau[0]!;
  const params = toParams(Math.exp(logT1), Math.exp(logT2), coef);
  const rng = new Prng(options.seed ?? 1);
  const draws: TwinParams[] = [];
  for (let d = 0; d < nDraws; d++) {
    let u = rng.next();
    let k = 0;
    while (k < probs.length - 1 && u > probs[k]!) u -= probs[k++]!;
    const c = cells[k]!;
    const sigma2 = c.fit.rate / drawGamma(c.fit.shape, () => rng.next(), () => rng.normal());
    const z = [rng.normal(), rng.normal(), rng.normal()].map((v) => v * Math.sqrt(sigma2));
    const dev = drawFromPrecision(c.fit.precisionChol, z);
    const [b, k1, kd] = c.fit.mean.map((v, r) => v + dev[r]!) as [number, number, number];
    draws.push(toParams(FITNESS_TAUS[c.i]!, FATIGUE_TAUS[c.j]!, [b, k1, GAIN_RATIOS[c.r]! * k1, kd]));
  }
  const personal = m >= MIN_PERSONAL_DAYS;
  const note = personal
    ? `Fitted on this device to ${m} days of your readiness reports and loads: fitness fades over about ${Math.round(params.fitnessTau)} days, fatigue over about ${Math.round(params.fatigueTau)}.`
    : `Too little history to fit your own twin (${m} usable days with readiness and load; ${MIN_PERSONAL_DAYS} needed): using the population prior${prior.athletes > 0 ? ` learned from ${prior.athletes} athletes` : ''}, so the bands are wide.`;
  return { params, draws, residualSd: Math.sqrt(variance), daysUsed: m, source: personal ? 'personal' : 'prior', note, posterior };
}

/** Cholesky factor of the symmetric 3x3 matrix [[a, b, c], [b, d, e], [c, e, f]] (the fit's inner loop); null when not positive definite. */
function cholesky3(a: number, b: number, c: number, d: number, e: number, f: number): number[][] | null {
  if (!(a > 0)) return null;
  const l00 = Math.sqrt(a);
  const l10 = b / l00;
  const l20 = c / l00;
  const s11 = d - l10 * l10;
  if (!(s11 > 0)) return null;
  const l11 = Math.sqrt(s11);
  const l21 = (e - l20 * l10) / l11;
  const s22 = f - l20 * l20 - l21 * l21;
  if (!(s22 > 0)) return null;
  return [[l00, 0, 0], [l10, l11, 0], [l20, l21, Math.sqrt(s22)]];
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
