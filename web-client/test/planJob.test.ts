import { describe, expect, it } from 'vitest';
import type { DailyLogRow } from '@huddle/shared/log';
import { DEFAULT_CONSTRAINTS, DEFAULT_PRIOR, type PublishedPrior } from '@huddle/shared/twin';
import { runPlanJob } from '../src/engine/planJob.ts';

function rows(days: number): DailyLogRow[] {
  const pattern = [0, 500, 450, 400, 250, 700, 300];
  return Array.from({ length: days }, (_, t) => ({
    athleteId: 'me', date: new Date(Date.UTC(2025, 0, 6 + t)).toISOString().slice(0, 10), srpeLoad: pattern[t % 7]!, readiness: 7 - (pattern[(t + 6) % 7]! > 600 ? 1 : 0),
    fatigue: null, mood: null, sleepQuality: null, soreness: null, stress: null, sleepHours: null, injury: 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null,
  }));
}

describe('the worker’s planning job', () => {
  it('summarizes the twin, runs plans and recommends, on the rows it is given', () => {
    const log = rows(90);
    const twin = runPlanJob(log, { kind: 'twin', today: '2025-04-10' });
    expect(twin.kind).toBe('twin');
    if (twin.kind !== 'twin') return;
    expect(twin.twin.lastDate).toBe('2025-04-05');
    expect(twin.twin.source).toBe('personal');
    expect(twin.twin.weekdayPattern[0]).toBe(0);
    const plans = [[0, 500, 450, 400, 250, 700, 300], [0, 900, 900, 900, 250, 900, 300]];
    const w = runPlanJob(log, { kind: 'whatIf', today: '2025-04-10', startDate: '2025-04-06', plans });
    if (w.kind !== 'whatIf') throw new Error('wrong kind');
    expect(w.results).toHaveLength(2);
    expect(w.results[1]!.weeklyRisk[0]!.risk).toBeGreaterThan(w.results[0]!.weeklyRisk[0]!.risk);
    const r = runPlanJob(log, { kind: 'recommend', today: '2025-04-10', request: { horizonDays: 7, goal: { kind: 'return', returnLoad: 120 }, constraints: DEFAULT_CONSTRAINTS } });
    if (r.kind !== 'recommend') throw new Error('wrong kind');
    expect(r.recommendation.loads[0]).toBeLessThanOrEqual(120);
    expect(r.recommendation.reasons).toHaveLength(7);
    // Structured-clone safe: what crosses the worker boundary survives a clone unchanged.
    expect(structuredClone(r)).toEqual(r);
  });

  it('counts an unlogged day the athlete accepted a plan for as its planned load, not the weekday mean', () => {
    const log = rows(90);
    // The last day, a Saturday (a 700 AU day in the usual week) was planned as rest and not logged.
    const last = log.length - 1;
    const gappy = log.map((r, i) => (i === last ? { ...r, srpeLoad: null } : r));
    const plain = runPlanJob(gappy, { kind: 'twin', today: '2025-04-10' });
    const planned = runPlanJob(gappy, { kind: 'twin', today: '2025-04-10' }, null, [{ date: gappy[last]!.date, load: 0 }]);
    if (plain.kind !== 'twin' || planned.kind !== 'twin') throw new Error('wrong kind');
    expect(plain.twin.recentLoads.at(-1)).toBe(700);
    expect(planned.twin.recentLoads.at(-1)).toBe(0);
  });

  it('fits under the federation\'s published prior when the device has one, and says which prior it used', () => {
    const log = rows(30);
    const builtIn = runPlanJob(log, { kind: 'twin', today: '2025-04-10' });
    if (builtIn.kind !== 'twin') throw new Error('wrong kind');
    expect(builtIn.twin.priorSource).toBe('built-in');
    expect(builtIn.twin.priorNote).toBe('Population prior: the built-in default (no federated prior published yet).');
    const published: PublishedPrior = {
      prior: { ...DEFAULT_PRIOR, logFatigueTau: { mean: Math.log(5), sd: 0.1 }, athletes: 42 },
      rounds: 8, publishedAt: '2026-12-02T06:00:00.000Z', task: 'readiness', secureAggregation: true, noise: 'distributed', noiseMultiplier: 0.5,
    };
    const w = (p: PublishedPrior | null) => {
      const r = runPlanJob(log, { kind: 'whatIf', today: '2025-04-10', startDate: '2025-02-05', plans: [[0, 900, 900, 900, 250, 900, 300]] }, p);
      if (r.kind !== 'whatIf') throw new Error('wrong kind');
      return r.results[0]!;
    };
    const federated = runPlanJob(log, { kind: 'twin', today: '2025-04-10' }, published);
    if (federated.kind !== 'twin') throw new Error('wrong kind');
    expect(federated.twin.priorSource).toBe('federated');
    expect(federated.twin.priorNote).toContain("the federation's, learned on 2026-12-02 from 42 athletes");
    // 30 days is too little history: the twin is the prior itself, so a 5-day fatigue prior changes the forecast.
    expect(federated.twin.source).toBe('prior');
    expect(w(published).days[6]!.fatigue).not.toBeCloseTo(w(null).days[6]!.fatigue, 3);
  });
});
