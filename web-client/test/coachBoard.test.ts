import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { coachFingerprint, keyMatchesPairingCode, normalizePairingCode, formatPairingCode, sealSummary, type CoachSummary } from '@huddle/shared/coach';
import { boardModel } from '../src/coach/board/boardModel.ts';
import type { BoardEntry } from '../src/coach/board/coachApi.ts';
import type { TaskForecast } from '../src/engine/forecast.ts';
import type { ForecastResult } from '../src/engine/forecast.ts';
import { buildSummary, summaryDigest } from '../src/coach/summaryBuilder.ts';

const coach = nacl.box.keyPair();
const base = (o: Partial<CoachSummary>): CoachSummary => ({ v: 1, athleteName: 'Ana', date: '2026-12-02', sentAt: '2026-12-02T07:00:00.000Z', sharingEndsOn: '2026-12-31', ...o });
function entry(summaries: CoachSummary[], athlete = nacl.box.keyPair()): BoardEntry {
  return {
    grantId: `gr_${Math.random()}`,
    athleteBoxKey: athlete.publicKey,
    sharingSince: '2026-12-01T00:00:00.000Z',
    expiresAt: '2027-01-01T00:00:00.000Z',
    summaries: summaries.map((s) => ({ ...sealSummary(s, coach.publicKey, athlete.secretKey), receivedAt: s.sentAt })),
  };
}

describe('pairing codes', () => {
  it('bind the coach key: the right key matches, a substituted key does not, typing is forgiving', () => {
    const code = coachFingerprint(coach.publicKey);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);
    const typed = formatPairingCode(code).toLowerCase().replace(/0/g, 'o');
    expect(normalizePairingCode(typed)).toBe(code);
    expect(keyMatchesPairingCode(coach.publicKey, code)).toBe(true);
    expect(keyMatchesPairingCode(nacl.box.keyPair().publicKey, code)).toBe(false);
    expect(normalizePairingCode('ABCD-EFGH')).toBeNull();
  });
});

describe('team board model', () => {
  it('shows the latest summary, today\'s check-in and an alert when a band changed since the previous summary', () => {
    const yesterday = base({ date: '2026-12-01', checkedIn: true, readiness: { kind: 'forecast', value: 7, band: 'green', forDate: '2026-12-02' }, injuryRisk: { kind: 'band', band: 'green' } });
    const today = base({ checkedIn: true, readiness: { kind: 'forecast', value: 5.5, band: 'red', forDate: '2026-12-03' }, injuryRisk: { kind: 'band', band: 'green' }, plannedWeek: [{ date: '2026-12-02', load: 400 }] });
    const m = boardModel([entry([yesterday, today])], coach.secretKey, coach.publicKey, '2026-12-02');
    expect(m.athletes).toHaveLength(1);
    const a = m.athletes[0]!;
    expect(a).toMatchObject({ name: 'Ana', isToday: true, checkedIn: true, readiness: 'red', risk: 'green', plannedWeek: [{ date: '2026-12-02', load: 400 }] });
    expect(a.changes).toEqual([{ what: 'readiness', from: 'green', to: 'red' }]);
  });

  it('an old summary is not today\'s check-in; unshared fields say so; a summary past the athlete\'s last day is hidden', () => {
    const old = base({ date: '2026-11-30', checkedIn: true });
    const m = boardModel([entry([old]), entry([base({ athleteName: 'Bo', sharingEndsOn: '2026-12-01', checkedIn: true })])], coach.secretKey, coach.publicKey, '2026-12-02');
    expect(m.athletes.map((a) => a.name)).toEqual(['Ana']);
    expect(m.athletes[0]).toMatchObject({ checkedIn: 'no-summary-today', readiness: 'not-shared', risk: 'not-shared' });
  });

  it('refuses summaries that do not open with the sharing\'s athlete key (a coordinator posing as the athlete)', () => {
    const e = entry([base({ checkedIn: true })]);
    const forged = { ...e, athleteBoxKey: nacl.box.keyPair().publicKey };
    const m = boardModel([forged], coach.secretKey, coach.publicKey, '2026-12-02');
    expect(m).toEqual({ athletes: [], waiting: 0, refused: 1 });
  });
});

describe('summary builder', () => {
  const forecast = (task: 'readiness' | 'injury', extra: Record<string, unknown> = {}): TaskForecast =>
    ({ task, fromDate: '2026-12-01', forDates: ['2026-12-02', '2026-12-08'], value: task === 'readiness' ? 6.04 : 0.05, baselineValue: task === 'readiness' ? 7 : 0.05, baseline: 'typical-day', modelRound: 3, modelSource: 'download', personalization: { used: false, labelledDays: 0, note: '' }, factors: [], completenessGap: 0, ...extra }) as TaskForecast;
  const result = (extra: Record<string, unknown>): ForecastResult => ({ generatedAt: '', loggedDays: 30, latestDate: '2026-12-01', forecasts: { readiness: forecast('readiness', extra), injury: forecast('injury', extra) }, unavailable: {}, trend: { dates: [], load: [], readiness: [], predictedReadiness: [], risk: [] } });
  const share = { name: 'Ana', lastDay: '2026-12-31', share: { readiness: true, risk: true, checkIn: true, plan: true } };
  const planned = [{ date: '2026-12-01', load: 300, reason: '', acceptedAt: '' }, { date: '2026-12-02', load: 412.6, reason: '', acceptedAt: '' }];

  it('says "not enough evidence yet" for an unvalidated model, bands once validated, and never a log value', () => {
    const now = new Date('2026-12-02T07:00:00Z');
    const unvalidated = buildSummary({ share, today: '2026-12-02', todayRow: null, forecast: result({}), planned, now });
    expect(unvalidated).toMatchObject({ checkedIn: false, readiness: { kind: 'not-enough-evidence' }, injuryRisk: { kind: 'not-enough-evidence' }, plannedWeek: [{ date: '2026-12-02', load: 413 }] });
    const quality = { metric: 'MAE', value: 0.9, low: 0.8, high: 1, days: 400 };
    const validated = buildSummary({ share, today: '2026-12-02', todayRow: { date: '2026-12-02' } as never, forecast: result({ validated: true, quality }), planned, now });
    expect(validated).toMatchObject({ checkedIn: true, readiness: { kind: 'forecast', value: 6, band: 'amber', forDate: '2026-12-02' }, injuryRisk: { kind: 'band', band: 'green' } });
    expect(Object.keys(validated).sort()).toEqual(['athleteName', 'checkedIn', 'date', 'injuryRisk', 'plannedWeek', 'readiness', 'sentAt', 'sharingEndsOn', 'v']);
  });

  it('leaves out what the athlete did not choose for this coach; the digest ignores the send time', () => {
    const none = { ...share, share: { readiness: false, risk: false, checkIn: false, plan: false } };
    const a = buildSummary({ share: none, today: '2026-12-02', todayRow: null, forecast: null, planned, now: new Date('2026-12-02T07:00:00Z') });
    expect(Object.keys(a).sort()).toEqual(['athleteName', 'date', 'sentAt', 'sharingEndsOn', 'v']);
    const b = buildSummary({ share: none, today: '2026-12-02', todayRow: null, forecast: null, planned, now: new Date('2026-12-02T09:00:00Z') });
    expect(summaryDigest(a)).toBe(summaryDigest(b));
  });
});
