import { describe, expect, it } from 'vitest';
import type { DailyLogRow } from '@huddle/shared/log';
import { PlanningTwin } from '../src/plan/index.ts';

/** 120 days of a plain weekly pattern with a deload every fourth week; readiness falls on the day after hard days. */
function rows(days: number): DailyLogRow[] {
  const pattern = [0, 500, 450, 400, 250, 700, 300];
  return Array.from({ length: days }, (_, t) => {
    const date = new Date(Date.UTC(2025, 0, 6 + t)).toISOString().slice(0, 10);
    const yesterday = pattern[(t + 6) % 7]!;
    return {
      athleteId: 'me', date, srpeLoad: pattern[t % 7]! * (t % 28 >= 21 ? 0.7 : 1), readiness: Math.round(7.5 - yesterday / 400 + ((t * 7) % 5) / 5), fatigue: null, mood: null,
      sleepQuality: null, soreness: null, stress: null, sleepHours: null, injury: 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null,
    };
  });
}

const week = (first: string, loads: [number, number][]) =>
  loads.map(([rpe, minutes], i) => {
    const d = new Date(`${first}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return { date: d.toISOString().slice(0, 10), sessions: minutes > 0 ? [{ rpe, minutes }] : [] };
  });

describe('client SDK planning twin', () => {
  const twin = PlanningTwin.fromRows(rows(120));

  it('compares two plans side by side: the harder one carries more risk and fatigue', () => {
    const first = twin.firstPlanDate;
    expect(first).toBe('2025-05-06');
    const easy = week(first, [[0, 0], [5, 60], [5, 60], [4, 60], [3, 40], [6, 80], [3, 40]]);
    const hard = week(first, [[0, 0], [8, 90], [8, 90], [7, 80], [5, 60], [9, 100], [5, 60]]);
    const r = twin.compare([easy, hard]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(2);
    expect(r.value[1]!.weeklyRisk[0]!.risk).toBeGreaterThan(r.value[0]!.weeklyRisk[0]!.risk);
    expect(r.value[1]!.days[6]!.fatigue).toBeGreaterThan(r.value[0]!.days[6]!.fatigue);
  });

  it('refuses bad plans with the day and field, and more than three plans', () => {
    const bad = [{ date: twin.firstPlanDate, sessions: [{ rpe: 12, minutes: 60 }] }];
    expect(twin.compare([bad])).toEqual({ ok: false, errors: ['Plan 1: Tuesday 2025-05-06, session 1 RPE: must be from 0 to 10'] });
    const ok = week(twin.firstPlanDate, [[5, 60]]);
    expect(twin.compare([ok, ok, ok, ok])).toEqual({ ok: false, errors: ['compare 1 to 3 plans, got 4'] });
    const rec = twin.recommend({ goal: { kind: 'return', returnLoad: -5 }, horizonDays: 30 });
    expect(rec.ok).toBe(false);
    if (!rec.ok) expect(rec.errors).toEqual(['goal returnLoad: must be 0 or more', 'horizonDays: must be a whole number from 7 to 14']);
  });

  it('recommends against a draft, with a reason per day, within the risk limit', () => {
    const draft = week(twin.firstPlanDate, [[0, 0], [9, 120], [9, 120], [9, 120], [3, 40], [9, 120], [3, 40]]);
    const r = twin.recommend({ goal: { kind: 'build' }, draft, constraints: { maxWeeklyRisk: 0.04 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.reasons).toHaveLength(7);
    expect(r.value.baseline[1]).toBe(1080);
    expect(r.value.loads[1]).toBeLessThan(1080);
    expect(r.value.reasons[1]!.reason).toMatch(/^Wednesday lowered: /);
    expect(r.value.weeklyRisk[0]!.risk).toBeLessThanOrEqual(Math.max(0.04, r.value.weeklyRisk[0]!.limit));
    expect(twin.momentVector()[0]).toBe(1);
  });
});
