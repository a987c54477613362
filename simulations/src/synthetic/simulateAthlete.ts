import type { DailyLogRow } from '@huddle/shared/log';
import type { Prng } from '@huddle/shared/random';
import { BanisterState } from './banister.ts';
import { isoDayString, weekday } from './calendar.ts';
import { clamp, type HiddenParams } from './hiddenParams.ts';
import { injuryHazard } from './injuryHazard.ts';
import { LoadWindows } from './loadWindows.ts';
import { reportMorning, sampleMorningState } from './morningState.ts';
import { personalMicrocycle, plannedLoadFactor } from './trainingPlan.ts';

/** Days simulated before the first logged day so that fitness, fatigue and load windows start settled. */
const BURN_IN_DAYS = 56;
const RETURN_RAMP_DAYS = 14;
const SKIPPED_SESSION_RATE = 0.03;
const MISSING_HRV_RATE = 0.05;
/** A missing load entry is rarer than a missing self-report: staff usually log sessions. */
const MISSING_LOAD_SHARE = 0.3;

/** One athlete's daily log for `days` days from `firstDay` (days since the epoch). */
export function simulateAthlete(params: HiddenParams, firstDay: number, days: number, rng: Prng): DailyLogRow[] {
  const microcycle = personalMicrocycle(params);
  const capacity = params.chronicCapacity;
  const banister = new BanisterState(capacity, params.fitnessTau, params.fatigueTau, params.fitnessGain, params.fatigueGain);
  const windows = new LoadWindows();
  const rows: DailyLogRow[] = [];

  let layoffLeft = 0;
  let returnDay = -Infinity;
  let priorInjuries = 0;
  let overloadLeft = 0;
  let overloadFactor = 1;
  let yesterdayLoadRatio = 1;

  for (let d = -BURN_IN_DAYS; d < days; d++) {
    const day = firstDay + d;
    const inLayoff = layoffLeft > 0;
    const form = banister.formDeviation();
    const morning = sampleMorningState(params, form, yesterdayLoadRatio, inLayoff, rng);

    if (overloadLeft === 0 && weekday(day) === 0 && rng.bernoulli(params.overloadWeekRate)) {
      overloadLeft = 7;
      overloadFactor = rng.uniform(1.3, 1.7);
    }
    let load = 0;
    if (!inLayoff) {
      let factor = plannedLoadFactor(params, microcycle, day) * (overloadLeft > 0 ? overloadFactor : 1);
      const sinceReturn = day - returnDay;
      if (sinceReturn < RETURN_RAMP_DAYS) factor *= 0.4 + (0.6 * sinceReturn) / RETURN_RAMP_DAYS;
      if (factor > 0 && !rng.bernoulli(SKIPPED_SESSION_RATE)) {
        load = capacity * factor * Math.exp(rng.normal(0, 0.2));
        if (rng.bernoulli(params.spikeRate)) load *= rng.uniform(1.8, 2.6);
      }
    }
    if (overloadLeft > 0) overloadLeft--;
    banister.addDay(load);
    windows.addDay(load);

    let injury: 0 | 1 = 0;
    if (inLayoff) {
      layoffLeft--;
      if (layoffLeft === 0) returnDay = day + 1;
    } else if (d >= 0) {
      const hazard = injuryHazard(
        {
          acuteChronicRatio: windows.acuteChronicRatio(),
          monotony: windows.monotony(),
          readiness: morning.readiness,
          sleepHours: morning.sleepHours,
          loadRatio: load / capacity,
          daysSinceReturn: day - returnDay,
          priorInjuries,
        },
        params.injuryFrailty,
      );
      if (rng.bernoulli(hazard)) {
        injury = 1;
        priorInjuries++;
        layoffLeft = sampleLayoffDays(rng);
      }
    }
    yesterdayLoadRatio = load / capacity;
    if (d < 0) continue;

    const report = reportMorning(params, morning, form, rng);
    const reported = !rng.bernoulli(params.missingReportRate);
    const loadLogged = !rng.bernoulli(params.missingReportRate * MISSING_LOAD_SHARE);
    const wearableReading = params.hasWearable && !rng.bernoulli(MISSING_HRV_RATE);
    rows.push({
      athleteId: params.athleteId,
      date: isoDayString(day),
      srpeLoad: loadLogged ? Math.round(load) : null,
      readiness: reported ? report.readiness : null,
      fatigue: reported ? report.fatigue : null,
      mood: reported ? report.mood : null,
      sleepQuality: reported ? report.sleepQuality : null,
      soreness: reported ? report.soreness : null,
      stress: reported ? report.stress : null,
      sleepHours: reported ? report.sleepHours : null,
      injury,
      hrvRmssdMs: wearableReading ? Math.round(params.hrvBaseline * Math.exp(morning.lnHrvDeviation) * 10) / 10 : null,
      restingHrBpm: wearableReading ? Math.round(morning.restingHrBpm) : null,
      sex: params.sex,
      sport: params.sport,
    });
  }
  return rows;
}

/** Days out after an injury: log-normal, median 10, 3 to 90. */
function sampleLayoffDays(rng: Prng): number {
  return Math.round(clamp(10 * Math.exp(rng.normal(0, 0.8)), 3, 90));
}
