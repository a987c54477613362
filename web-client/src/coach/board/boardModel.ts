import { bandChanges, openSummary, readinessBand, riskBand, safetyCode, stillShared, type BandChange, type BandOrNone, type CoachSummary } from '@huddle/shared/coach';
import type { BoardEntry } from './coachApi.ts';

export interface AthleteRow {
  grantId: string;
  name: string;
  safetyCode: string;
  latest: CoachSummary;
  /** Summary of today (the coach's local day)? Older ones are shown as "no summary today yet". */
  isToday: boolean;
  checkedIn: boolean | 'not-shared' | 'no-summary-today';
  readiness: BandOrNone;
  risk: BandOrNone;
  changes: BandChange[];
  plannedWeek: CoachSummary['plannedWeek'];
}

export interface BoardModel {
  athletes: AthleteRow[];
  /** Sharings with no readable summary yet (just paired, or every summary refused). */
  waiting: number;
  /** Summaries that did not decrypt or validate: altered, or not from the athlete's key. */
  refused: number;
}

/**
 * Decrypts each sharing's summaries on this device and derives the board: the latest summary per athlete, whether it
 * is today's, and which bands changed since the previous summary. A summary past the athlete's chosen last day is
 * ignored, whatever the coordinator says about expiry.
 */
export function boardModel(entries: readonly BoardEntry[], coachSecretKey: Uint8Array, coachPublicKey: Uint8Array, today: string): BoardModel {
  let refused = 0;
  let waiting = 0;
  const athletes: AthleteRow[] = [];
  for (const e of entries) {
    const opened: CoachSummary[] = [];
    for (const s of e.summaries) {
      const o = openSummary(s.nonce, s.ciphertext, e.athleteBoxKey, coachSecretKey);
      if (o.ok) opened.push(o.summary);
      else refused++;
    }
    const live = opened.filter((s) => stillShared(s, today));
    const latest = live[live.length - 1];
    if (!latest) {
      if (e.summaries.length === 0) waiting++;
      continue;
    }
    const previous = live.length > 1 ? live[live.length - 2]! : null;
    const isToday = latest.date === today;
    athletes.push({
      grantId: e.grantId,
      name: latest.athleteName,
      safetyCode: safetyCode(coachPublicKey, e.athleteBoxKey),
      latest,
      isToday,
      checkedIn: latest.checkedIn === undefined ? 'not-shared' : isToday ? latest.checkedIn : 'no-summary-today',
      readiness: readinessBand(latest),
      risk: riskBand(latest),
      changes: bandChanges(previous, latest),
      plannedWeek: latest.plannedWeek,
    });
  }
  athletes.sort((a, b) => a.name.localeCompare(b.name));
  return { athletes, waiting, refused };
}
