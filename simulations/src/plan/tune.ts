import { evaluatePlanners } from '../bench/plan.ts';
import { learnFromTuningSeed } from './learnPrior.ts';
import type { BlockOutcome } from './runBlock.ts';
import { pairedBootstrap } from './summarize.ts';
import { PLAN_TUNING } from './tuning.ts';

export interface PlanTuneOptions {
  seed: number;
  athletes: number;
  weeks: number;
  costs: number[];
  risks: number[];
  /** Frailty quantiles (standard normal deviates); NaN stands for the posterior mean. */
  frailtyZs: number[];
  /** Objective: at least this share fewer injuries than static, and at least this share of the performance gap closed. */
  minFewer: number;
  minClosed: number;
  /**
   * The oracle runs the same MPC with the same settings, so a setting that cripples both planners "closes" the gap between
   * them: the gap is also measured against the oracle of these fixed reference settings.
   */
  reference: { injuryCost: number; maxWeeklyRisk: number };
}

export interface PlanTuneRow {
  injuryCost: number;
  maxWeeklyRisk: number;
  frailtyZ: number;
  /** Share fewer realised injuries than static, and fewer expected ones (sum of true hazards: less luck). */
  fewer: number;
  fewerExpected: number;
  closed: number;
  /** Share of the gap between static and the reference oracle closed. */
  closedReference: number;
  perf: number;
  injuries: number;
}

const mean = (o: readonly BlockOutcome[], f: (b: BlockOutcome) => number) => o.reduce((a, b) => a + f(b), 0) / o.length;

/**
 * Grid over the recommender's settings on the tuning seed. Static runs once and the oracle once per (injury cost, risk
 * limit): both are paired with every setting on the same athletes. Rule: among settings meeting both floors (the gap
 * floor against both the same-settings oracle and the reference oracle), the
 * largest reduction of expected injuries (the true hazards summed: the same target with less luck than the realised
 * count); when none does, the largest among those meeting the gap floor.
 */
export function tunePlanner(o: PlanTuneOptions, write: (line: string) => void): PlanTuneRow | null {
  if (o.seed === PLAN_TUNING.reportSeed) throw new Error(`seed ${o.seed} is the reporting seed: tune on another`);
  const base = { athletes: o.athletes, weeks: o.weeks, seed: o.seed, tuneSeed: o.seed, historyDays: PLAN_TUNING.historyDays, priorAthletes: PLAN_TUNING.priorAthletes };
  const learned = learnFromTuningSeed(o.seed, PLAN_TUNING.priorAthletes, PLAN_TUNING.historyDays);
  const stat = evaluatePlanners({ ...base, injuryCost: 1, maxWeeklyRisk: 0.05 }, undefined, learned, ['static']).outcomes.static!;
  const days = 7 * o.weeks;
  write(`static: performance ${mean(stat, (b) => b.performanceGain).toFixed(2)}, injuries/1000 days ${((1000 / days) * mean(stat, (b) => b.injuries)).toFixed(2)}`);
  write('injuryCost maxWeeklyRisk frailtyZ | recommended performance injuries/1000 | oracle performance injuries/1000 | fewer injuries than static [95%], fewer expected injuries [95%], performance gap closed [95%], gap to the reference oracle closed [95%]');
  const oracles = new Map<string, BlockOutcome[]>();
  const oracleOf = (injuryCost: number, maxWeeklyRisk: number) => {
    const key = `${injuryCost}/${maxWeeklyRisk}`;
    if (!oracles.has(key)) oracles.set(key, evaluatePlanners({ ...base, injuryCost, maxWeeklyRisk }, undefined, learned, ['oracle']).outcomes.oracle!);
    return oracles.get(key)!;
  };
  const ref = oracleOf(o.reference.injuryCost, o.reference.maxWeeklyRisk);
  write(`reference oracle (injury cost ${o.reference.injuryCost}, limit ${o.reference.maxWeeklyRisk}): performance ${mean(ref, (b) => b.performanceGain).toFixed(2)}, injuries/1000 days ${((1000 / days) * mean(ref, (b) => b.injuries)).toFixed(2)}`);
  const rows: PlanTuneRow[] = [];
  for (const injuryCost of o.costs) {
    for (const maxWeeklyRisk of o.risks) {
      const orc = oracleOf(injuryCost, maxWeeklyRisk);
        for (const frailtyZ of o.frailtyZs) {
          const rec = evaluatePlanners(
            { ...base, injuryCost, maxWeeklyRisk, frailtyZ: Number.isNaN(frailtyZ) ? undefined : frailtyZ },
            undefined,
            learned,
            ['recommended'],
          ).outcomes.recommended!;
          const groups = [rec, stat, orc];
          const fewer = pairedBootstrap(groups, ({ injuries: [r, s] }) => 1 - r! / s!);
          const expected = (g: readonly BlockOutcome[]) => g.map((b) => ({ ...b, injuries: b.expectedInjuries }));
          const fewerExpected = pairedBootstrap(groups.map(expected), ({ injuries: [r, s] }) => 1 - r! / s!);
          const closed = pairedBootstrap(groups, ({ perf: [r, s, or] }) => (r! - s!) / (or! - s!));
          const closedReference = pairedBootstrap([rec, stat, ref], ({ perf: [r, s, or] }) => (r! - s!) / (or! - s!));
          const row: PlanTuneRow = {
            injuryCost, maxWeeklyRisk, frailtyZ, fewer: fewer.value, fewerExpected: fewerExpected.value, closed: closed.value, closedReference: closedReference.value,
            perf: mean(rec, (b) => b.performanceGain), injuries: (1000 / days) * mean(rec, (b) => b.injuries),
          };
          rows.push(row);
          const pc = (x: { value: number; low: number; high: number }) => `${(100 * x.value).toFixed(0)}% [${(100 * x.low).toFixed(0)}, ${(100 * x.high).toFixed(0)}]`;
          write(
            `${injuryCost} ${maxWeeklyRisk} ${Number.isNaN(frailtyZ) ? 'mean' : frailtyZ} | ${row.perf.toFixed(2)} ${row.injuries.toFixed(2)} | ${mean(orc, (b) => b.performanceGain).toFixed(2)} ${((1000 / days) * mean(orc, (b) => b.injuries)).toFixed(2)} | ${pc(fewer)}, ${pc(fewerExpected)}, ${pc(closed)}, ${pc(closedReference)}`,
          );
      }
    }
  }
  const both = rows.filter((r) => r.fewerExpected >= o.minFewer && Math.min(r.closed, r.closedReference) >= o.minClosed);
  const pool = both.length > 0 ? both : rows.filter((r) => Math.min(r.closed, r.closedReference) >= o.minClosed);
  const chosen = pool.reduce<PlanTuneRow | null>((best, r) => (!best || r.fewerExpected > best.fewerExpected ? r : best), null);
  write(
    chosen
      ? `chosen${both.length > 0 ? '' : ` (no setting met ${(100 * o.minFewer).toFixed(0)}% fewer injuries)`}: injuryCost ${chosen.injuryCost}, maxWeeklyRisk ${chosen.maxWeeklyRisk}, frailtyZ ${Number.isNaN(chosen.frailtyZ) ? 'mean' : chosen.frailtyZ}`
      : `no setting closed ${(100 * o.minClosed).toFixed(0)}% of the performance gap`,
  );
  return chosen;
}
