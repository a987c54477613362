import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSyntheticFederation } from '../src/synthetic/index.ts';
import { evaluatePlanners, formatPlanBench } from '../src/bench/plan.ts';
import { learnFromTuningSeed } from '../src/plan/learnPrior.ts';
import { blockStart } from '../src/plan/population.ts';
import { recommendedPolicy, staticPolicy } from '../src/plan/policies.ts';
import { runBlock } from '../src/plan/runBlock.ts';
import { tunePlanner } from '../src/plan/tune.ts';

describe('planning bench on synthetic twins', () => {
  it('the stepper refactor leaves the generator byte-identical', () => {
    const rows = generateSyntheticFederation({ athletes: 30, days: 200, seed: 5 });
    expect(createHash('sha256').update(JSON.stringify(rows)).digest('hex')).toBe('07e5bf31d76ed7e06cdb39d3a842d49456dc18f8ee9840adeadd17899fb497ec');
  });

  const learned = learnFromTuningSeed(1, 40, 182);

  it('every policy meets the same athlete in the same state, and the runs are deterministic', () => {
    const a = blockStart(2, 3, 182);
    const b = blockStart(2, 3, 182);
    expect(b.rows).toEqual(a.rows);
    expect(b.body.banister.performance()).toBe(a.body.banister.performance());
    const one = runBlock(blockStart(2, 3, 182), recommendedPolicy(learned.prior, learned.riskModel), 14);
    const two = runBlock(blockStart(2, 3, 182), recommendedPolicy(learned.prior, learned.riskModel), 14);
    expect(two).toEqual(one);
    const stat = runBlock(blockStart(2, 3, 182), staticPolicy(182), 14);
    expect(stat.planned).not.toEqual(one.planned);
  });

  it('a daily planner re-plans from the morning reports: deterministic, and its week revised', () => {
    const daily = () => recommendedPolicy(learned.prior, learned.riskModel, { daily: true, injuryCost: 0.5 });
    const one = runBlock(blockStart(2, 3, 182), daily(), 14);
    expect(runBlock(blockStart(2, 3, 182), daily(), 14)).toEqual(one);
    const weekly = runBlock(blockStart(2, 3, 182), recommendedPolicy(learned.prior, learned.riskModel, { injuryCost: 0.5 }), 14);
    expect(one.planned).not.toEqual(weekly.planned);
  });

  it('prints the four policies with intervals and the comparisons', () => {
    const r = evaluatePlanners({ athletes: 6, weeks: 2, seed: 2, tuneSeed: 1, historyDays: 182, priorAthletes: 40, injuryCost: 0.5, maxWeeklyRisk: 0.025 }, undefined, learned);
    expect(Object.keys(r.results)).toEqual(['recommended', 'static', 'acwrRule', 'oracle']);
    for (const p of Object.values(r.results)) {
      expect(p.athletes).toBe(6);
      expect(p.athleteDays).toBe(84);
      for (const k of ['performanceGain', 'injuriesPer1000Days', 'daysLost'] as const) expect(p[k].low).toBeLessThanOrEqual(p[k].high);
    }
    const text = formatPlanBench(r);
    expect(text).toMatch(/^Planned 2-week blocks, 6 synthetic athletes, data seed 2 \(tuned on seed 1\)/);
    expect(text.split('\n').filter((l) => /^\| (recommended|static|acwrRule|oracle) \|/.test(l))).toHaveLength(4);
  });

  it('tuning refuses the reporting seed', () => {
    const grid = { athletes: 2, weeks: 1, costs: [0.5], risks: [0.03], frailtyZs: [NaN], minFewer: 0.35, minClosed: 0.55, reference: { injuryCost: 0.5, maxWeeklyRisk: 0.0325 } };
    expect(() => tunePlanner({ ...grid, seed: 2 }, () => {})).toThrow(/reporting seed/);
  });
});
