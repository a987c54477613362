import type { TaskForecast } from '../engine/forecast.ts';
import type { TaskId } from '../types.ts';

/**
 * What a forecast may carry about the evidence behind it. Optional: the forecast engine adds these as its models earn
 * them; until a forecast says its model was validated, the app shows "not enough evidence yet" rather than a number.
 */
export interface ForecastEvidence {
  /** True once the model's quality was measured on held-out days (federated evaluation or the athlete's own). */
  validated?: boolean;
  /** Range the value likely falls in, e.g. level 0.8 for an 80% interval. */
  interval?: { low: number; high: number; level: number };
  /** The validated quality with its 95% interval and sample size (test days; positive days for injury). */
  quality?: { metric: string; value: number; low: number; high: number; days: number; positives?: number };
  /** Injury: how often held-out days with a forecast in this band were followed by an injury, with its 95% interval. */
  observed?: { fromRisk: number; toRisk: number; days: number; positives: number; rate: number; low: number; high: number };
  /** Why the model has not earned a forecast yet, in plain words. */
  evidenceNote?: string;
}

export type Band = 'green' | 'amber' | 'red';

/**
 * The zone of a forecast against the athlete's own baseline (the model's output for their typical day): readiness from
 * half a point below it is amber, a point or more below red; injury risk from 1.15x their usual is amber, 1.5x red.
 */
export function forecastBand(task: TaskId, value: number, baseline: number): Band {
  if (task === 'readiness') {
    const diff = value - baseline;
    return diff <= -1 ? 'red' : diff <= -0.5 ? 'amber' : 'green';
  }
  const ratio = baseline > 0 ? value / baseline : value > 0 ? Infinity : 1;
  return ratio >= 1.5 ? 'red' : ratio >= 1.15 ? 'amber' : 'green';
}

export const BAND_LABEL: Record<TaskId, Record<Band, string>> = {
  readiness: { green: 'About your usual or better', amber: 'A little below your usual', red: 'Well below your usual' },
  injury: { green: 'About your usual', amber: 'Raised for you', red: 'High for you' },
};

/** One line of plain advice per band. Not medical advice; the screen says so. */
export const ADVICE: Record<TaskId, Record<Band, string>> = {
  readiness: {
    green: 'Good to train as planned.',
    amber: 'Train as planned, and check how you feel in the warm-up before going hard.',
    red: 'Consider a lighter session or extra recovery, and tell your coach how you feel.',
  },
  injury: {
    green: 'No extra caution needed beyond your usual routine.',
    amber: 'Warm up well and avoid sudden jumps in training load this week.',
    red: 'Talk to your coach or physio about easing your load this week.',
  },
};

export type ForecastPresentation =
  | {
      kind: 'evidence';
      band: Band;
      label: string;
      advice: string;
      interval: ForecastEvidence['interval'] | null;
      observed: ForecastEvidence['observed'] | null;
      quality: NonNullable<ForecastEvidence['quality']>;
    }
  | { kind: 'not-enough-evidence'; reason: string };

function finite(...xs: unknown[]): boolean {
  return xs.every((x) => typeof x === 'number' && Number.isFinite(x));
}

/** Reads the optional evidence fields defensively: anything malformed counts as not validated. */
export function presentForecast(f: TaskForecast & ForecastEvidence): ForecastPresentation {
  const q = f.quality;
  const validQuality = q && typeof q.metric === 'string' && finite(q.value, q.low, q.high, q.days) && q.days > 0 ? q : null;
  if (f.validated !== true || !validQuality) {
    const reason = typeof f.evidenceNote === 'string' && f.evidenceNote ? f.evidenceNote : `the team model (round ${f.modelRound}) has not yet been validated on enough held-out days to trust its forecast`;
    return { kind: 'not-enough-evidence', reason };
  }
  const i = f.interval;
  const interval = i && finite(i.low, i.high, i.level) && i.low <= f.value && f.value <= i.high ? i : null;
  const o = f.observed;
  const observed = o && finite(o.fromRisk, o.toRisk, o.days, o.positives, o.rate, o.low, o.high) && o.days > 0 && o.low <= o.rate && o.rate <= o.high ? o : null;
  const band = forecastBand(f.task, f.value, f.baselineValue);
  return { kind: 'evidence', band, label: BAND_LABEL[f.task][band], advice: ADVICE[f.task][band], interval, observed, quality: validQuality };
}
