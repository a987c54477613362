import type { CoachSummary, SummaryBand } from './summary.ts';

export type BandOrNone = SummaryBand | 'not-enough-evidence' | 'not-shared';

export function readinessBand(s: CoachSummary): BandOrNone {
  return s.readiness === undefined ? 'not-shared' : s.readiness.kind === 'forecast' ? s.readiness.band : 'not-enough-evidence';
}

export function riskBand(s: CoachSummary): BandOrNone {
  return s.injuryRisk === undefined ? 'not-shared' : s.injuryRisk.kind === 'band' ? s.injuryRisk.band : 'not-enough-evidence';
}

export interface BandChange {
  what: 'readiness' | 'injury risk';
  from: BandOrNone;
  to: BandOrNone;
}

/** What changed between an athlete's previous summary and the latest one: bands only, and only real bands on both sides. */
export function bandChanges(previous: CoachSummary | null, latest: CoachSummary): BandChange[] {
  if (!previous) return [];
  const out: BandChange[] = [];
  const pairs: [BandChange['what'], BandOrNone, BandOrNone][] = [
    ['readiness', readinessBand(previous), readinessBand(latest)],
    ['injury risk', riskBand(previous), riskBand(latest)],
  ];
  for (const [what, from, to] of pairs) if (from !== to && from !== 'not-shared' && to !== 'not-shared') out.push({ what, from, to });
  return out;
}

/** True while the athlete's chosen sharing period covers `today` (YYYY-MM-DD, the coach's local day). */
export function stillShared(s: CoachSummary, today: string): boolean {
  return today <= s.sharingEndsOn;
}
