import type { Prng } from '@huddle/shared/random';
import { SPORT_PROFILES, SYNTHETIC_SPORTS, type SyntheticSport } from './sports.ts';

/** The per-athlete truth behind a synthetic athlete's log; never part of the log itself. */
export interface HiddenParams {
  athleteId: string;
  sex: 'F' | 'M';
  sport: SyntheticSport;
  /** Daily sRPE load (AU) the athlete's plan is built around; also the scale of "normal" for its body. */
  chronicCapacity: number;
  /** Banister impulse-response time constants (days) and gains; fatigueGain is about 2x fitnessGain. */
  fitnessTau: number;
  fatigueTau: number;
  fitnessGain: number;
  fatigueGain: number;
  /** 0-2 rest days per week kept from the sport's microcycle; dropped ones become easy days. */
  restDaysPerWeek: number;
  /** Daily probability of a one-day load spike and weekly probability of an overload week. */
  spikeRate: number;
  overloadWeekRate: number;
  hasWearable: boolean;
  /** Morning rMSSD (ms) when rested, and its relative drop per unit of excess Banister fatigue. */
  hrvBaseline: number;
  hrvSensitivity: number;
  restingHrBaseline: number;
  habitualSleepHours: number;
  /** Added to the readiness the athlete reports (0-10 scale). */
  readinessBias: number;
  /** Personal stress level on the 1-5 wellness scale (5 = relaxed). */
  stressBaseline: number;
  /** Multiplies the injury hazard (odds). */
  injuryFrailty: number;
  /** Daily probability that the morning self-report is missing. */
  missingReportRate: number;
  /** Day offset of this athlete's 4-week mesocycle and of its off-season, so athletes are not in lockstep. */
  mesocyclePhase: number;
  offSeasonShift: number;
}

export function sampleHiddenParams(rng: Prng, athleteId: string): HiddenParams {
  const sport = SYNTHETIC_SPORTS[rng.int(SYNTHETIC_SPORTS.length)]!;
  const sex = rng.bernoulli(0.5) ? 'F' : 'M';
  const fitnessGain = rng.uniform(0.8, 1.2);
  return {
    athleteId,
    sex,
    sport,
    chronicCapacity: SPORT_PROFILES[sport].meanDailyLoad * (sex === 'F' ? 0.92 : 1) * clampedLogNormal(rng, 0.25, 0.5, 1.8),
    fitnessTau: rng.uniform(35, 50),
    fatigueTau: rng.uniform(5, 15),
    fitnessGain,
    fatigueGain: fitnessGain * rng.uniform(1.7, 2.3),
    restDaysPerWeek: rng.int(3),
    spikeRate: rng.uniform(0.005, 0.04),
    overloadWeekRate: rng.uniform(0.02, 0.15),
    hasWearable: rng.bernoulli(0.5),
    hrvBaseline: (sex === 'F' ? 62 : 55) * clampedLogNormal(rng, 0.35, 0.4, 2.2),
    hrvSensitivity: rng.uniform(0.08, 0.3),
    restingHrBaseline: Math.round(rng.uniform(42, 64) + (sex === 'F' ? 4 : 0)),
    habitualSleepHours: clamp(rng.normal(7.6, 0.5), 6.3, 9),
    readinessBias: clamp(rng.normal(0, 0.8), -2, 2),
    stressBaseline: clamp(rng.normal(3.3, 0.4), 2.3, 4.3),
    injuryFrailty: clampedLogNormal(rng, 0.4, 0.3, 3),
    missingReportRate: Math.min(0.6, rng.next() ** 2 * 0.5 + 0.02),
    mesocyclePhase: rng.int(28),
    offSeasonShift: rng.int(29) - 14,
  };
}

function clampedLogNormal(rng: Prng, sigma: number, lo: number, hi: number): number {
  return clamp(Math.exp(rng.normal(0, sigma)), lo, hi);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
