import { dateFromDayNumber, dayNumber, isCalendarDate } from '../log/calendar-date.ts';
import type { DailyLogRow } from '../log/types.ts';
import type { TwinState } from './types.ts';

/** Reference load (AU/day) when the log holds fewer than MIN_SCALE_DAYS days of load: a typical team-sport day. */
export const POPULATION_LOAD_SCALE = 380;
export const MIN_SCALE_DAYS = 28;
/** Days after a return to training that count as "recently returned" (as in the injury model's features). */
export const RECENT_RETURN_DAYS = 60;

/** One athlete's log on a gap-free day grid, as the twin reads it. */
export interface TwinHistory {
  firstDay: number;
  /** Daily load, AU; a missing day takes its planned load when there is one, else the athlete's mean for that weekday. */
  loads: Float64Array;
  /** Reported readiness, NaN when missing or during an injury lay-off (the response does not model lay-offs). */
  readiness: Float64Array;
  /** 1 on days with a new injury. */
  injury: Uint8Array;
  /** 1 on lay-off days (from the day after an injury to the day before the next day with load). */
  layoff: Uint8Array;
  /** Days since the last return to training (a large number when never injured) and injuries so far, per day. */
  daysSinceReturn: Float64Array;
  priorInjuries: Uint8Array;
}

/** 0 = Monday. */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/**
 * The day grid of one athlete's rows (any order, one athlete). Throws when a date is not a calendar day. `planned`
 * (date -> AU, the plans the athlete accepted) fills a day whose load was not logged: a planned rest day left blank
 * was most likely rested, not trained at the weekday's usual load.
 */
export function twinHistory(rows: readonly DailyLogRow[], planned?: ReadonlyMap<string, number>): TwinHistory {
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (sorted.length === 0) return emptyHistory();
  const firstDay = dayNumber(sorted[0]!.date);
  const n = dayNumber(sorted[sorted.length - 1]!.date) - firstDay + 1;
  const rawLoads = new Float64Array(n).fill(NaN);
  const readiness = new Float64Array(n).fill(NaN);
  const injury = new Uint8Array(n);
  const plannedLoads = new Float64Array(n).fill(NaN);
  for (const [date, load] of planned ?? []) {
    const t = isCalendarDate(date) ? dayNumber(date) - firstDay : -1;
    if (t >= 0 && t < n && Number.isFinite(load)) plannedLoads[t] = Math.max(0, load);
  }
  for (const r of sorted) {
    const t = dayNumber(r.date) - firstDay;
    if (r.srpeLoad !== null && Number.isFinite(r.srpeLoad)) rawLoads[t] = Math.max(0, r.srpeLoad);
    if (r.readiness !== null && Number.isFinite(r.readiness)) readiness[t] = r.readiness;
    if (r.injury === 1) injury[t] = 1;
  }
  const weekdayMean = new Array<number>(7).fill(0);
  const weekdayCount = new Array<number>(7).fill(0);
  for (let t = 0; t < n; t++) {
    if (Number.isNaN(rawLoads[t]!)) continue;
    const wd = weekdayOf(firstDay + t);
    weekdayMean[wd]! += rawLoads[t]!;
    weekdayCount[wd]!++;
  }
  const allLogged = weekdayCount.reduce((a, b) => a + b, 0);
  const overall = allLogged > 0 ? weekdayMean.reduce((a, b) => a + b, 0) / allLogged : 0;
  const loads = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const wd = weekdayOf(firstDay + t);
    const usual = weekdayCount[wd]! > 0 ? weekdayMean[wd]! / weekdayCount[wd]! : overall;
    loads[t] = Number.isNaN(rawLoads[t]!) ? (Number.isNaN(plannedLoads[t]!) ? usual : plannedLoads[t]!) : rawLoads[t]!;
  }
  const layoff = new Uint8Array(n);
  const daysSinceReturn = new Float64Array(n);
  const priorInjuries = new Uint8Array(n);
  let inLayoff = false;
  let returnDay = -1e9;
  let injuries = 0;
  for (let t = 0; t < n; t++) {
    if (inLayoff && loads[t]! > 0 && !Number.isNaN(rawLoads[t]!)) {
      inLayoff = false;
      returnDay = t;
    }
    if (inLayoff) {
      layoff[t] = 1;
      readiness[t] = NaN;
    }
    daysSinceReturn[t] = t - returnDay;
    priorInjuries[t] = Math.min(255, injuries);
    if (injury[t] === 1) {
      injuries++;
      inLayoff = true;
    }
  }
  return { firstDay, loads, readiness, injury, layoff, daysSinceReturn, priorInjuries };
}

function emptyHistory(): TwinHistory {
  return { firstDay: 0, loads: new Float64Array(0), readiness: new Float64Array(0), injury: new Uint8Array(0), layoff: new Uint8Array(0), daysSinceReturn: new Float64Array(0), priorInjuries: new Uint8Array(0) };
}

/** What the log says about the athlete on its last day. `fallbackDate` dates an empty log (the day before the plan). */
export function twinState(history: TwinHistory, fallbackDate: string): TwinState {
  const n = history.loads.length;
  const loggedDays = n;
  let total = 0;
  for (let t = 0; t < n; t++) total += history.loads[t]!;
  const loadScale = loggedDays >= MIN_SCALE_DAYS && total > 0 ? total / loggedDays : POPULATION_LOAD_SCALE;
  const pattern = weekdayPattern(history);
  const historyW = Array.from(history.loads, (l) => l / loadScale);
  const recentLoads = Array.from(history.loads.subarray(Math.max(0, n - 28)));
  let injuries = 0;
  for (let t = 0; t < n; t++) injuries += history.injury[t]!;
  const last = n - 1;
  const injuredNow = n > 0 && (history.layoff[last] === 1 || history.injury[last] === 1);
  return {
    lastDate: n > 0 ? dateFromDayNumber(history.firstDay + last) : fallbackDate,
    recentLoads,
    historyW,
    loadScale,
    weekdayPattern: pattern,
    priorInjuries: injuries,
    daysSinceReturn: n > 0 ? history.daysSinceReturn[last]! + 1 : 1e9,
    injuredNow,
  };
}

/** The athlete's usual microcycle over training (non-lay-off) days; flat when the log is shorter than four weeks. */
export function weekdayPattern(history: TwinHistory): number[] {
  const sum = new Array<number>(7).fill(0);
  const count = new Array<number>(7).fill(0);
  for (let t = 0; t < history.loads.length; t++) {
    if (history.layoff[t] === 1) continue;
    const wd = weekdayOf(history.firstDay + t);
    sum[wd]! += history.loads[t]!;
    count[wd]!++;
  }
  if (count.some((c) => c < 4)) return new Array<number>(7).fill(1);
  const means = sum.map((s, i) => s / count[i]!);
  const overall = means.reduce((a, b) => a + b, 0) / 7;
  if (!(overall > 0)) return new Array<number>(7).fill(1);
  // Weekdays below 10% of the usual day are the athlete's rest days.
  const kept = means.map((m) => (m < 0.1 * overall ? 0 : m));
  const keptMean = kept.reduce((a, b) => a + b, 0) / 7;
  return kept.map((m) => m / keptMean);
}
