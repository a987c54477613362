import { describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete, parseDailyLogCsv, type DailyLogRow } from '@huddle/shared/log';
import { SYNTHETIC_SPORTS, generateSyntheticFederation, syntheticHiddenParams } from '../src/synthetic/index.ts';

const SEED = 20240;
const federation = generateSyntheticFederation({ athletes: 200, seed: SEED });
const byAthlete = groupByAthlete(federation);
const params = syntheticHiddenParams({ athletes: 200, seed: SEED });

describe('generateSyntheticFederation', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateSyntheticFederation({ athletes: 4, days: 60, seed: 3 });
    expect(generateSyntheticFederation({ athletes: 4, days: 60, seed: 3 })).toEqual(a);
    expect(generateSyntheticFederation({ athletes: 4, days: 60, seed: 4 })).not.toEqual(a);
  });

  it("gives athlete i the same log whatever the number of athletes", () => {
    const three = generateSyntheticFederation({ athletes: 3, days: 90, seed: 11 });
    const five = generateSyntheticFederation({ athletes: 5, days: 90, seed: 11 });
    expect(five.slice(0, three.length)).toEqual(three);
    expect(syntheticHiddenParams({ athletes: 5, seed: 11 }).slice(0, 3)).toEqual(syntheticHiddenParams({ athletes: 3, seed: 11 }));
  });

  it('writes one row per athlete-day from the start date, ids syn-0001...', () => {
    const rows = generateSyntheticFederation({ athletes: 2, days: 40, seed: 1, startDate: '2023-12-25' });
    expect(rows).toHaveLength(80);
    expect(rows[0]!.athleteId).toBe('syn-0001');
    expect(rows[0]!.date).toBe('2023-12-25');
    expect(rows[39]!.date).toBe('2024-02-02');
    expect(rows[40]!.athleteId).toBe('syn-0002');
    expect(federation).toHaveLength(200 * 365);
    expect([...byAthlete.values()].every((r) => r.length === 365)).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => generateSyntheticFederation({ athletes: -1, seed: 1 })).toThrow(RangeError);
    expect(() => generateSyntheticFederation({ athletes: 1, days: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => generateSyntheticFederation({ athletes: 1, seed: 1, startDate: '2024-02-30' })).toThrow(RangeError);
  });

  it('produces no NaN or infinite values', () => {
    const bad = federation.filter((row) => Object.values(row).some((v) => typeof v === 'number' && !Number.isFinite(v)));
    expect(bad).toEqual([]);
  });

  it('round-trips through the daily-log CSV format with zero errors', () => {
    const parsed = parseDailyLogCsv(formatDailyLogCsv(federation));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual(federation);
  });
});

describe('syntheticHiddenParams', () => {
  it('keeps every parameter in its documented range', () => {
    for (const p of params) {
      expect(p.fitnessTau).toBeGreaterThanOrEqual(35);
      expect(p.fitnessTau).toBeLessThanOrEqual(50);
      expect(p.fatigueTau).toBeGreaterThanOrEqual(5);
      expect(p.fatigueTau).toBeLessThanOrEqual(15);
      expect(p.fatigueGain / p.fitnessGain).toBeGreaterThanOrEqual(1.7);
      expect(p.fatigueGain / p.fitnessGain).toBeLessThanOrEqual(2.3);
      expect(p.chronicCapacity).toBeGreaterThan(100);
      expect(p.chronicCapacity).toBeLessThan(1000);
      expect(p.hrvBaseline).toBeGreaterThan(15);
      expect(p.hrvBaseline).toBeLessThan(150);
      expect(p.habitualSleepHours).toBeGreaterThanOrEqual(6.3);
      expect(p.habitualSleepHours).toBeLessThanOrEqual(9);
      expect(Math.abs(p.readinessBias)).toBeLessThanOrEqual(2);
      expect(p.injuryFrailty).toBeGreaterThanOrEqual(0.3);
      expect(p.injuryFrailty).toBeLessThanOrEqual(3);
      expect(p.missingReportRate).toBeGreaterThanOrEqual(0.02);
      expect(p.missingReportRate).toBeLessThanOrEqual(0.6);
      expect([0, 1, 2]).toContain(p.restDaysPerWeek);
    }
  });

  it('mixes sports, sexes and athletes with and without a wearable', () => {
    expect(new Set(params.map((p) => p.sport))).toEqual(new Set(SYNTHETIC_SPORTS));
    expect(new Set(params.map((p) => p.sex))).toEqual(new Set(['F', 'M']));
    expect(new Set(params.map((p) => p.hasWearable))).toEqual(new Set([true, false]));
  });

  it('matches the logged attributes: sex, sport, wearable readings, missing-report rate', () => {
    for (const p of params) {
      const rows = byAthlete.get(p.athleteId)!;
      expect(rows.every((r) => r.sex === p.sex && r.sport === p.sport)).toBe(true);
      const hrvShare = rows.filter((r) => r.hrvRmssdMs !== null).length / rows.length;
      if (p.hasWearable) expect(hrvShare).toBeGreaterThan(0.85);
      else expect(hrvShare).toBe(0);
      const missingShare = rows.filter((r) => r.readiness === null).length / rows.length;
      expect(Math.abs(missingShare - p.missingReportRate)).toBeLessThan(0.1);
    }
  });
});

describe('synthetic athletes', () => {
  it('have about 2 injuries per athlete-season (within [1, 3.5]) over 200 athletes', () => {
    const injuries = federation.filter((r) => r.injury === 1).length;
    const perSeason = injuries / 200;
    console.log(`synthetic base rate: ${perSeason.toFixed(2)} injuries per athlete-season (${injuries} in 200 x 365 days)`);
    expect(perSeason).toBeGreaterThanOrEqual(1);
    expect(perSeason).toBeLessThanOrEqual(3.5);
  });

  it('rest after an injury: no load on the next 3 days', () => {
    let checked = 0;
    for (const rows of byAthlete.values()) {
      rows.forEach((r, i) => {
        if (r.injury !== 1 || i + 3 >= rows.length) return;
        for (const next of rows.slice(i + 1, i + 4)) if (next.srpeLoad !== null) expect(next.srpeLoad).toBe(0);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('differ from each other (non-IID): between-athlete F statistics far above the 0.1% critical value (~1.3)', () => {
    const loadF = oneWayAnovaF([...byAthlete.values()].map((rows) => present(rows, 'srpeLoad')));
    const readinessF = oneWayAnovaF([...byAthlete.values()].map((rows) => present(rows, 'readiness')));
    console.log(`non-IID: F(load) = ${loadF.toFixed(1)}, F(readiness) = ${readinessF.toFixed(1)}`);
    expect(loadF).toBeGreaterThan(10);
    expect(readinessF).toBeGreaterThan(10);
  });

  it('have weekly rest days and hard days: load varies within the week', () => {
    const loads = present(federation, 'srpeLoad');
    expect(loads.filter((l) => l === 0).length / loads.length).toBeGreaterThan(0.1);
    expect(Math.max(...loads)).toBeGreaterThan(1000);
  });
});

function present(rows: readonly DailyLogRow[], field: 'srpeLoad' | 'readiness'): number[] {
  return rows.map((r) => r[field]).filter((v): v is number => v !== null);
}

/** One-way ANOVA F = between-group mean square / within-group mean square. */
function oneWayAnovaF(groups: number[][]): number {
  const all = groups.flat();
  const grand = all.reduce((a, b) => a + b, 0) / all.length;
  let between = 0;
  let within = 0;
  for (const g of groups) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  return between / (groups.length - 1) / (within / (all.length - groups.length));
}
