import type { CoachSummary } from '@huddle/shared/coach';
import type { DailyLogRow } from '@huddle/shared/log';
import type { ForecastResult } from '../engine/forecast.ts';
import type { PlannedDay } from '../storage/plannedDays.ts';
import { presentForecast, type ForecastEvidence } from '../ui/forecastView.ts';
import type { CoachShare } from './coachShare.ts';

export interface SummaryInputs {
  share: Pick<CoachShare, 'name' | 'lastDay' | 'share'>;
  today: string;
  todayRow: DailyLogRow | null;
  forecast: ForecastResult | null;
  planned: readonly PlannedDay[];
  now: Date;
}

/**
 * The daily summary for one coach, from what the app already shows the athlete: the forecast's band (or "not enough
 * evidence yet" whenever the forecast screen would say so), whether today's check-in is done, and the accepted plan's
 * loads for the coming week. Fields the athlete did not choose for this coach are left out. Never a log value.
 */
export function buildSummary(i: SummaryInputs): CoachSummary {
  const summary: CoachSummary = { v: 1, athleteName: i.share.name, date: i.today, sentAt: i.now.toISOString(), sharingEndsOn: i.share.lastDay };
  if (i.share.share.checkIn) summary.checkedIn = i.todayRow !== null;
  const readiness = i.forecast?.forecasts.readiness as (NonNullable<ForecastResult['forecasts']['readiness']> & ForecastEvidence) | undefined;
  if (i.share.share.readiness) {
    const view = readiness ? presentForecast(readiness) : null;
    summary.readiness = view?.kind === 'evidence' ? { kind: 'forecast', value: Math.round(readiness!.value * 10) / 10, band: view.band, forDate: readiness!.forDates[0] } : { kind: 'not-enough-evidence' };
  }
  const injury = i.forecast?.forecasts.injury as (NonNullable<ForecastResult['forecasts']['injury']> & ForecastEvidence) | undefined;
  if (i.share.share.risk) {
    const view = injury ? presentForecast(injury) : null;
    summary.injuryRisk = view?.kind === 'evidence' ? { kind: 'band', band: view.band } : { kind: 'not-enough-evidence' };
  }
  if (i.share.share.plan) {
    summary.plannedWeek = i.planned.filter((d) => d.date >= i.today).slice(0, 7).map((d) => ({ date: d.date, load: Math.round(d.load) }));
  }
  return summary;
}

/** What decides whether a new summary is worth sending: everything but the send time. */
export function summaryDigest(s: CoachSummary): string {
  const { sentAt: _sentAt, ...rest } = s;
  return JSON.stringify(rest);
}
