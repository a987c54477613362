/** What the injury hazard of one day depends on: the athlete's true state, not its reports. */
export interface HazardInputs {
  acuteChronicRatio: number;
  monotony: number;
  /** True (unbiased, noise-free) readiness, 0-10. */
  readiness: number;
  sleepHours: number;
  /** Today's load relative to capacity: the exposure; rest days carry little risk. */
  loadRatio: number;
  daysSinceReturn: number;
  priorInjuries: number;
}

/**
 * Logistic-hazard coefficients (log-odds per unit). Tuned together: base rate about 2 injuries per
 * athlete-season (1.9-2.4 over seeds 1-16) and a pooled logistic regression on the shared features reaching a
 * held-out-athlete AUC of 0.68-0.78 (test/syntheticLearnability.test.ts). Change them only with both checks.
 */
export const HAZARD = {
  intercept: -6.28,
  perAcwrAbove1_3: 2.4,
  perMonotonyAbove2: 0.9,
  perReadinessBelow6: 0.4,
  perSleepHourBelow6_5: 0.45,
  recentReturn: 0.5,
  recentReturnDays: 60,
  perPriorInjury: 0.15,
  maxPriorInjuries: 4,
  restDayExposure: 0.3,
} as const;

/** Daily probability of a new injury. */
export function injuryHazard(x: HazardInputs, frailty: number): number {
  const logit =
    HAZARD.intercept +
    Math.log(frailty) +
    HAZARD.perAcwrAbove1_3 * Math.max(0, x.acuteChronicRatio - 1.3) +
    HAZARD.perMonotonyAbove2 * Math.max(0, x.monotony - 2) +
    HAZARD.perReadinessBelow6 * Math.max(0, 6 - x.readiness) +
    HAZARD.perSleepHourBelow6_5 * Math.max(0, 6.5 - x.sleepHours) +
    (x.daysSinceReturn < HAZARD.recentReturnDays ? HAZARD.recentReturn : 0) +
    HAZARD.perPriorInjury * Math.min(x.priorInjuries, HAZARD.maxPriorInjuries) +
    Math.log(HAZARD.restDayExposure + (1 - HAZARD.restDayExposure) * Math.min(x.loadRatio, 2.5));
  return 1 / (1 + Math.exp(-logit));
}
