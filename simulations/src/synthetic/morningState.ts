import type { Prng } from '@huddle/shared/random';
import { clamp, type HiddenParams } from './hiddenParams.ts';

/** The athlete's true state on waking, before reporting bias, rounding and missing reports. */
export interface MorningState {
  sleepHours: number;
  /** ln(rMSSD / baseline). */
  lnHrvDeviation: number;
  restingHrBpm: number;
  /** Latent fatigue and soreness: 0 = usual, positive = worse, about 1 per scale point. */
  fatigue: number;
  soreness: number;
  /** True readiness on the 0-10 scale. */
  readiness: number;
}

/**
 * `formDeviation` is the Banister form after yesterday's training, `yesterdayLoadRatio` yesterday's load
 * relative to capacity; `injured` lowers readiness and raises soreness during a lay-off.
 */
export function sampleMorningState(
  params: HiddenParams,
  formDeviation: number,
  yesterdayLoadRatio: number,
  injured: boolean,
  rng: Prng,
): MorningState {
  const strain = Math.max(0, -formDeviation);
  let sleepHours = params.habitualSleepHours + rng.normal(0, 0.6) - 0.4 * strain;
  if (rng.bernoulli(0.05)) sleepHours -= rng.uniform(1, 2.5);
  sleepHours = clamp(sleepHours, 3, 12);
  const sleepDeviation = sleepHours - params.habitualSleepHours;

  const lnHrvDeviation = params.hrvSensitivity * formDeviation + 0.04 * sleepDeviation + rng.normal(0, 0.07);
  const restingHrBpm = params.restingHrBaseline * Math.exp(-0.4 * params.hrvSensitivity * formDeviation + rng.normal(0, 0.03));

  const fatigue = -formDeviation + rng.normal(0, 0.25);
  const soreness = 1.1 * clamp(yesterdayLoadRatio - 1, -1, 2.5) + 0.4 * strain + (injured ? 1.2 : 0) + rng.normal(0, 0.3);
  const readiness = clamp(
    7 - 1.1 * fatigue - 0.5 * soreness + 0.45 * sleepDeviation + 3 * lnHrvDeviation - (injured ? 1.5 : 0) + rng.normal(0, 0.6),
    0,
    10,
  );
  return { sleepHours, lnHrvDeviation, restingHrBpm, fatigue, soreness, readiness };
}

export interface MorningReport {
  readiness: number;
  /** 1-5 wellness items, 5 = best (fresh, good mood, slept well, not sore, relaxed), as in SoccerMon/PMSys. */
  fatigue: number;
  mood: number;
  sleepQuality: number;
  soreness: number;
  stress: number;
  sleepHours: number;
}

/** What the athlete writes down: biased, noisy and rounded to the log's scales. */
export function reportMorning(params: HiddenParams, state: MorningState, formDeviation: number, rng: Prng): MorningReport {
  const bias = params.readinessBias;
  const item = (x: number) => Math.round(clamp(x, 1, 5));
  const sleepDeviation = state.sleepHours - params.habitualSleepHours;
  return {
    readiness: Math.round(clamp(state.readiness + bias + rng.normal(0, 0.5), 0, 10)),
    fatigue: item(3 - 0.9 * state.fatigue + 0.15 * bias + rng.normal(0, 0.45)),
    mood: item(3.3 + 0.3 * (state.readiness - 7) + 0.15 * bias + rng.normal(0, 0.5)),
    sleepQuality: item(3.3 + 0.6 * sleepDeviation + rng.normal(0, 0.5)),
    soreness: item(3 - 0.8 * state.soreness + rng.normal(0, 0.45)),
    stress: item(params.stressBaseline + 0.25 * formDeviation + rng.normal(0, 0.5)),
    sleepHours: Math.round(state.sleepHours * 4) / 4,
  };
}
