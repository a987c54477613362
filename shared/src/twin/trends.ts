import { rollingAcwr } from '../features/load-metrics.ts';
import { dateFromDayNumber } from '../log/calendar-date.ts';
import type { DailyLogRow } from '../log/types.ts';
import { twinHistory, twinState } from './history.ts';
import { DEFAULT_PRIOR } from './prior.ts';
import { decayOf, responseAfter } from './response.ts';

/** Days of load before the acute:chronic ratio is shown: its 28-day chronic window must lie inside the log. */
export const ACWR_MIN_DAYS = 28;

export interface LoadTrends {
  /** Every day from the first to the last logged day, YYYY-MM-DD. */
  dates: string[];
  /** Logged sRPE load (AU); null on days without a load (the curves fill them as the twin does). */
  load: (number | null)[];
  /** Banister fitness and fatigue levels (AU per day: exponentially weighted mean daily load) and form = fitness - fatigue. */
  fitness: number[];
  fatigue: number[];
  form: number[];
  /** Coupled rolling acute (7 d) : chronic (28 d) workload ratio; null before ACWR_MIN_DAYS days of log. */
  acwr: (number | null)[];
  fitnessTau: number;
  fatigueTau: number;
}

/**
 * Fitness, fatigue, form and acute:chronic ratio over one athlete's log, with the twin's own maths: its day grid
 * (missing loads filled with the athlete's weekday means), its impulse-response recursion, and the load ratio of the
 * features. Time constants: the centre of the twin's population prior (fitness 40 days, fatigue 10 days).
 */
export function loadTrends(rows: readonly DailyLogRow[], taus = { fitnessTau: Math.round(Math.exp(DEFAULT_PRIOR.logFitnessTau.mean)), fatigueTau: Math.round(Math.exp(DEFAULT_PRIOR.logFatigueTau.mean)) }): LoadTrends {
  const history = twinHistory(rows);
  const n = history.loads.length;
  const state = twinState(history, '');
  const logged = new Map(rows.map((r) => [r.date, r.srpeLoad]));
  const dates = Array.from({ length: n }, (_, t) => dateFromDayNumber(history.firstDay + t));
  const fitness = new Array<number>(n);
  const fatigue = new Array<number>(n);
  const k1 = 1 - decayOf(taus.fitnessTau);
  const k2 = 1 - decayOf(taus.fatigueTau);
  const round1 = (x: number) => Math.round(x * 10) / 10;
  responseAfter(taus, state.historyW, (t, s) => {
    fitness[t] = round1(k1 * s.fitSum * state.loadScale);
    fatigue[t] = round1(k2 * s.fatSum * state.loadScale);
  });
  const loads = Array.from(history.loads);
  return {
    dates,
    load: dates.map((d) => logged.get(d) ?? null),
    fitness,
    fatigue,
    form: fitness.map((f, t) => round1(f - fatigue[t]!)),
    acwr: loads.map((_, t) => (t + 1 >= ACWR_MIN_DAYS ? Math.round(rollingAcwr(loads, t) * 100) / 100 : null)),
    ...taus,
  };
}
