import type { DailyLogRow } from '@huddle/shared/log';
import type { Prng } from '@huddle/shared/random';
import { BanisterState } from './banister.ts';
import { isoDayString } from './calendar.ts';
import { clamp, type HiddenParams } from './hiddenParams.ts';
import { injuryHazard } from './injuryHazard.ts';
import { LoadWindows } from './loadWindows.ts';
import { reportMorning, sampleMorningState, type MorningReport, type MorningState } from './morningState.ts';

const MISSING_HRV_RATE = 0.05;
/** A missing load entry is rarer than a missing self-report: staff usually log sessions. */
const MISSING_LOAD_SHARE = 0.3;

/** One synthetic athlete's true body, day by day: whoever chooses the loads (its own plan, or a planner) steps it. */
export class AthleteBody {
  readonly banister: BanisterState;
  readonly windows = new LoadWindows();
  layoffLeft = 0;
  returnDay = -Infinity;
  priorInjuries = 0;
  yesterdayLoadRatio = 1;
  /** True injury hazard of the last day trained at risk (0 in a lay-off): the evaluation's expected injuries. */
  lastHazard = 0;

  constructor(readonly params: HiddenParams) {
    this.banister = new BanisterState(params.chronicCapacity, params.fitnessTau, params.fatigueTau, params.fitnessGain, params.fatigueGain);
  }

  get inLayoff(): boolean {
    return this.layoffLeft > 0;
  }

  /** The true state on waking (before today's training). */
  morning(rng: Prng): { state: MorningState; form: number } {
    const form = this.banister.formDeviation();
    return { state: sampleMorningState(this.params, form, this.yesterdayLoadRatio, this.inLayoff, rng), form };
  }

  /** Today's training; returns 1 when it brings a new injury (never during a lay-off, nor when `atRisk` is false). */
  train(day: number, load: number, morning: MorningState, atRisk: boolean, rng: Prng): 0 | 1 {
    const inLayoff = this.inLayoff;
    this.banister.addDay(load);
    this.windows.addDay(load);
    let injury: 0 | 1 = 0;
    this.lastHazard = 0;
    if (inLayoff) {
      this.layoffLeft--;
      if (this.layoffLeft === 0) this.returnDay = day + 1;
    } else if (atRisk) {
      const hazard = injuryHazard(
        {
          acuteChronicRatio: this.windows.acuteChronicRatio(),
          monotony: this.windows.monotony(),
          readiness: morning.readiness,
          sleepHours: morning.sleepHours,
          loadRatio: load / this.params.chronicCapacity,
          daysSinceReturn: day - this.returnDay,
          priorInjuries: this.priorInjuries,
        },
        this.params.injuryFrailty,
      );
      this.lastHazard = hazard;
      if (rng.bernoulli(hazard)) {
        injury = 1;
        this.priorInjuries++;
        this.layoffLeft = sampleLayoffDays(rng);
      }
    }
    this.yesterdayLoadRatio = load / this.params.chronicCapacity;
    return injury;
  }

  /** This morning's report as written before training (`null` when the athlete skips it), from its own stream. */
  morningReport(morning: { state: MorningState; form: number }, rng: Prng): MorningReport | null {
    const report = reportMorning(this.params, morning.state, morning.form, rng);
    return rng.bernoulli(this.params.missingReportRate) ? null : report;
  }

  /**
   * What the athlete logs for the day: biased, rounded reports with missing values. `written` is the morning report
   * already given before training (`morningReport`); the day's own draws are made anyway, so the rest of the row and
   * the stream stay as they were.
   */
  logRow(day: number, load: number, morning: { state: MorningState; form: number }, injury: 0 | 1, rng: Prng, written?: { report: MorningReport | null }): DailyLogRow {
    const params = this.params;
    const drawn = reportMorning(params, morning.state, morning.form, rng);
    const drawnReported = !rng.bernoulli(params.missingReportRate);
    const report = written ? (written.report ?? drawn) : drawn;
    const reported = written ? written.report !== null : drawnReported;
    const loadLogged = !rng.bernoulli(params.missingReportRate * MISSING_LOAD_SHARE);
    const wearableReading = params.hasWearable && !rng.bernoulli(MISSING_HRV_RATE);
    return {
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
      hrvRmssdMs: wearableReading ? Math.round(params.hrvBaseline * Math.exp(morning.state.lnHrvDeviation) * 10) / 10 : null,
      restingHrBpm: wearableReading ? Math.round(morning.state.restingHrBpm) : null,
      sex: params.sex,
      sport: params.sport,
    };
  }
}

/** Days out after an injury: log-normal, median 10, 3 to 90. */
function sampleLayoffDays(rng: Prng): number {
  return Math.round(clamp(10 * Math.exp(rng.normal(0, 0.8)), 3, 90));
}
