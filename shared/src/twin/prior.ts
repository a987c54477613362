/**
 * The population prior over twin parameters, and its federated form: each device turns its fitted parameters into a
 * vector of bounded moments (1, theta, theta^2 per parameter); the secure-sum path adds these vectors over devices and
 * the server (or anyone holding the sum) turns the sum back into a prior. No device's parameters are seen alone.
 */
import type { TwinFit } from './types.ts';

export interface NormalPrior {
  mean: number;
  sd: number;
}

export interface PopulationPrior {
  logFitnessTau: NormalPrior;
  logFatigueTau: NormalPrior;
  baseline: NormalPrior;
  fitnessGain: NormalPrior;
  /** Log of the fatigue-to-fitness gain ratio. */
  logGainRatio: NormalPrior;
  dayAfterGain: NormalPrior;
  /** Typical residual SD of readiness reports around the response (points). */
  residualSd: number;
  /** Athletes the prior was learned from; 0 for the built-in default. */
  athletes: number;
}

/**
 * The built-in prior when no federated prior is available: deliberately wide, centred on textbook Banister values
 * (fitness ~40 days, fatigue ~10 days, fatigue gain about twice fitness gain).
 */
export const DEFAULT_PRIOR: PopulationPrior = {
  logFitnessTau: { mean: Math.log(40), sd: 0.35 },
  logFatigueTau: { mean: Math.log(10), sd: 0.45 },
  baseline: { mean: 6.5, sd: 2 },
  fitnessGain: { mean: 1.5, sd: 1.5 },
  logGainRatio: { mean: Math.log(2), sd: 0.45 },
  dayAfterGain: { mean: 0.5, sd: 0.6 },
  residualSd: 1.2,
  athletes: 0,
};

type PriorField = Exclude<keyof PopulationPrior, 'residualSd' | 'athletes'> | 'logResidualSd';

/** Moment layout: [count, then per field (sum, sum of squares)], each value clipped to its bounds first. */
export const MOMENT_FIELDS: readonly { field: PriorField; bounds: [number, number] }[] = [
  { field: 'logFitnessTau', bounds: [Math.log(10), Math.log(100)] },
  { field: 'logFatigueTau', bounds: [Math.log(2), Math.log(30)] },
  { field: 'baseline', bounds: [0, 10] },
  { field: 'fitnessGain', bounds: [0, 8] },
  { field: 'logGainRatio', bounds: [Math.log(1), Math.log(6)] },
  { field: 'dayAfterGain', bounds: [0, 4] },
  { field: 'logResidualSd', bounds: [Math.log(0.2), Math.log(4)] },
];
export const MOMENT_LENGTH = 1 + 2 * MOMENT_FIELDS.length;
/** Largest absolute value of any coordinate of one device's moment vector (for the fixed-point scale of secure sum). */
export const MOMENT_BOUND = Math.max(1, ...MOMENT_FIELDS.map((f) => Math.max(Math.abs(f.bounds[0]), Math.abs(f.bounds[1])) ** 2));

/** Posterior mean and second moment of one field (log residual SD: its point value). */
function fieldMoments(fit: TwinFit, field: PriorField): [number, number] {
  if (field === 'logResidualSd') {
    const v = Math.log(fit.residualSd);
    return [v, v * v];
  }
  const { mean, variance } = fit.posterior[field];
  return [mean, mean * mean + variance];
}

/**
 * Client side: the moment vector this device adds to the secure sum: per field its posterior mean and posterior second
 * moment (E[theta], E[theta^2] given its own log), each clipped to the field's bounds. Summed over devices these are the
 * statistics of one EM step of the hierarchical prior (law of total variance), so repeating the sum with the new prior
 * converges to the population distribution rather than to the noisier spread of point fits. A fit that rests on the prior
 * alone (too little history) contributes zeros, so it neither counts nor pulls the prior toward itself.
 */
export function twinMomentVector(fit: TwinFit): Float64Array {
  const out = new Float64Array(MOMENT_LENGTH);
  if (fit.source !== 'personal') return out;
  out[0] = 1;
  MOMENT_FIELDS.forEach(({ field, bounds }, i) => {
    const [mean, second] = fieldMoments(fit, field);
    const v = Math.min(bounds[1], Math.max(bounds[0], mean));
    const bound2 = Math.max(bounds[0] * bounds[0], bounds[1] * bounds[1]);
    out[1 + 2 * i] = v;
    out[2 + 2 * i] = Math.min(bound2, Math.max(v * v, second - mean * mean + v * v));
  });
  return out;
}

/** Adds moment vectors (what the secure sum computes without seeing them one by one). */
export function addMoments(vectors: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(MOMENT_LENGTH);
  for (const v of vectors) {
    if (v.length !== MOMENT_LENGTH) throw new RangeError(`moment vector has ${v.length} values, expected ${MOMENT_LENGTH}`);
    for (let i = 0; i < MOMENT_LENGTH; i++) out[i]! += v[i]!;
  }
  return out;
}

/** Fewest contributing athletes for a federated prior; below it the built-in prior stays. */
export const MIN_PRIOR_ATHLETES = 10;

/**
 * Server side: the prior from a sum of moment vectors (one EM step): each mean is the mean of the posterior means, each
 * SD the square root of their spread plus the mean posterior variance, never below a floor, and the built-in prior is kept when
 * fewer than MIN_PRIOR_ATHLETES contributed.
 */
export function priorFromMoments(sum: ArrayLike<number>, fallback: PopulationPrior = DEFAULT_PRIOR, minAthletes = MIN_PRIOR_ATHLETES): PopulationPrior {
  if (sum.length !== MOMENT_LENGTH) throw new RangeError(`moment sum has ${sum.length} values, expected ${MOMENT_LENGTH}`);
  const n = Math.round(sum[0]!);
  if (n < Math.max(2, minAthletes)) return fallback;
  const stats = MOMENT_FIELDS.map((_, i) => {
    const mean = sum[1 + 2 * i]! / n;
    const variance = Math.max(0, (sum[2 + 2 * i]! - n * mean * mean) / (n - 1));
    return { mean, sd: Math.sqrt(variance) };
  });
  const floor = (s: { mean: number; sd: number }, min: number): NormalPrior => ({ mean: s.mean, sd: Math.max(min, s.sd) });
  return {
    logFitnessTau: floor(stats[0]!, 0.1),
    logFatigueTau: floor(stats[1]!, 0.1),
    baseline: floor(stats[2]!, 0.5),
    fitnessGain: floor(stats[3]!, 0.3),
    logGainRatio: floor(stats[4]!, 0.05),
    dayAfterGain: floor(stats[5]!, 0.2),
    residualSd: Math.exp(stats[6]!.mean),
    athletes: n,
  };
}
