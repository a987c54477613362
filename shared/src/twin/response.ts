import type { TwinParams } from './types.ts';

/**
 * Banister impulse-response of the twin. For each time constant tau, the sum S_t = S_{t-1} e^{-1/tau} + w_t and
 * the level L_t = (1 - e^{-1/tau}) S_t (a weighted mean of w: 1 when training steadily at the reference load).
 *
 * Readiness on the morning of day t (before its training) responds to the levels after day t-1:
 *   R_t = baseline + fitnessGain (Lfit - 1) - fatigueGain (Lfat - 1) - dayAfterGain (w_{t-1} - 1).
 * Performance is the classic Banister form on the same gains: P = fitnessGain Sfit - fatigueGain Sfat.
 */
export interface ResponseState {
  fitSum: number;
  fatSum: number;
  lastW: number;
}

export function decayOf(tau: number): number {
  return Math.exp(-1 / tau);
}

/**
 * The response state after a history of daily loads (w units), started at the steady state of its first four weeks.
 * `onDay` sees the state after each day (the trends screen draws fitness and fatigue from it).
 */
export function responseAfter(params: Pick<TwinParams, 'fitnessTau' | 'fatigueTau'>, historyW: ArrayLike<number>, onDay?: (t: number, s: ResponseState) => void): ResponseState {
  const d1 = decayOf(params.fitnessTau);
  const d2 = decayOf(params.fatigueTau);
  const start = initialLevel(historyW);
  let fitSum = start / (1 - d1);
  let fatSum = start / (1 - d2);
  let lastW = start;
  for (let t = 0; t < historyW.length; t++) {
    const w = historyW[t]!;
    fitSum = fitSum * d1 + w;
    fatSum = fatSum * d2 + w;
    lastW = w;
    onDay?.(t, { fitSum, fatSum, lastW });
  }
  return { fitSum, fatSum, lastW };
}

/** Mean of the first 28 values (1 when there are none): the level assumed before the log starts. */
export function initialLevel(historyW: ArrayLike<number>): number {
  const k = Math.min(28, historyW.length);
  if (k === 0) return 1;
  let s = 0;
  for (let t = 0; t < k; t++) s += historyW[t]!;
  return s / k;
}

export function readinessOf(p: TwinParams, fitLevel: number, fatLevel: number, yesterdayW: number): number {
  return p.baseline + p.fitnessGain * (fitLevel - 1) - p.fatigueGain * (fatLevel - 1) - p.dayAfterGain * (yesterdayW - 1);
}

export function performanceOf(p: TwinParams, s: ResponseState): number {
  return p.fitnessGain * s.fitSum - p.fatigueGain * s.fatSum;
}

/** Performance gained on day T per unit of load on day T - lag (lag >= 1): fitness minus fatigue impulse. */
export function marginalPerformance(p: TwinParams, lag: number): number {
  return p.fitnessGain * Math.exp(-(lag - 1) / p.fitnessTau) - p.fatigueGain * Math.exp(-(lag - 1) / p.fatigueTau);
}

/** Steady-state performance per unit of daily load: what a sustained unit of w is worth. */
export function steadyPerformancePerLoad(p: TwinParams): number {
  return p.fitnessGain / (1 - decayOf(p.fitnessTau)) - p.fatigueGain / (1 - decayOf(p.fatigueTau));
}
