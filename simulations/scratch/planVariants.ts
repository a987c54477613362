// Scratch: recommended-planner variants on the TUNING seed only (seed 1): performance gain, realised and expected
// injuries (true hazards summed) per 1,000 athlete-days. Usage: node --import tsx scratch/planVariants.ts '[{...}]'
import { DEFAULT_CONSTRAINTS, fitLoadRiskModel, twinHistory, twinState, type LoadRiskModel } from '@huddle/shared/twin';
import type { DailyLogRow } from '@huddle/shared/log';
import { athleteStreams } from '../src/synthetic/generate.ts';
import { learnFromTuningSeed } from '../src/plan/learnPrior.ts';
import { recommendedPolicy, staticPolicy, oraclePolicy, type Policy } from '../src/plan/policies.ts';
import { blockStart } from '../src/plan/population.ts';
import { runBlock, type BlockOutcome } from '../src/plan/runBlock.ts';
import { PLAN_TUNING } from '../src/plan/tuning.ts';

interface V { name?: string; risk?: number; cost?: number; readinessCoef?: number; policy?: string; [k: string]: unknown }
const variants: V[] = JSON.parse(process.argv[2] ?? '[{}]');
const athletes = Number(process.env.ATHLETES ?? 300);
const from = Number(process.env.FROM ?? 0);
const seed = Number(process.env.SEED ?? 1);
if (seed !== 1) throw new Error('tuning seed only');
const weeks = 12;
const learned = learnFromTuningSeed(1, PLAN_TUNING.priorAthletes, PLAN_TUNING.historyDays);
process.stderr.write(`risk model ${JSON.stringify(learned.riskModel.coef)} intercept ${learned.riskModel.intercept.toFixed(3)}\n`);
export const ctx = { learned };
const CENTRE = Number(process.env.CENTRE ?? 6.9);
function centred(rows: readonly DailyLogRow[]): DailyLogRow[] {
  let s = 0, n = 0;
  for (const r of rows) if (r.readiness !== null) { s += r.readiness; n++; }
  const off = n >= 20 ? s / n - CENTRE : 0;
  return rows.map((r) => (r.readiness === null ? r : { ...r, readiness: r.readiness - off }));
}
let centredRisk: LoadRiskModel | null = null;
function centredRiskModel(): LoadRiskModel {
  if (centredRisk) return centredRisk;
  const streams = athleteStreams({ athletes: PLAN_TUNING.priorAthletes, seed: 1 });
  const starts = Array.from({ length: PLAN_TUNING.priorAthletes }, (_, i) => blockStart(1, i, PLAN_TUNING.historyDays, streams));
  centredRisk = fitLoadRiskModel(starts.map((s) => { const h = twinHistory(centred(s.rows)); return { history: h, state: twinState(h, '2000-01-01') }; }));
  process.stderr.write(`centred risk model ${JSON.stringify(centredRisk.coef)} intercept ${centredRisk.intercept.toFixed(3)}\n`);
  console.log(`centred readiness coef ${centredRisk.coef.readinessBelow.toFixed(3)} acwr ${centredRisk.coef.acwrAbove.toFixed(3)}`);
  return centredRisk;
}
function run(make: () => Policy): BlockOutcome[] {
  const streams = athleteStreams({ athletes: from + athletes, seed });
  const out: BlockOutcome[] = [];
  for (let i = from; i < from + athletes; i++) out.push(runBlock(blockStart(seed, i, PLAN_TUNING.historyDays, streams), make(), 7 * weeks));
  return out;
}
const mean = (o: BlockOutcome[], f: (b: BlockOutcome) => number) => o.reduce((a, b) => a + f(b), 0) / o.length;
const line = (name: string, o: BlockOutcome[], t0: number) =>
  `${name.padEnd(40)} perf ${mean(o, (b) => b.performanceGain).toFixed(2)}  inj ${((1000 / (7 * weeks)) * mean(o, (b) => b.injuries)).toFixed(2)}  exp ${((1000 / (7 * weeks)) * mean(o, (b) => b.expectedInjuries)).toFixed(3)}  (${((performance.now() - t0) / 1000).toFixed(0)} s)`;
for (const v of variants) {
  const t0 = performance.now();
  const constraints = { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: v.risk ?? PLAN_TUNING.maxWeeklyRisk };
  let riskModel: LoadRiskModel = learned.riskModel;
  if (v.readinessCoef !== undefined) riskModel = { ...riskModel, coef: { ...riskModel.coef, readinessBelow: v.readinessCoef } };
  const o = { constraints, injuryCost: v.cost ?? PLAN_TUNING.injuryCost, ...(v as object) };
  const make = v.policy === 'static' ? () => staticPolicy(PLAN_TUNING.historyDays) : v.policy === 'oracle' ? () => oraclePolicy(o) : () => recommendedPolicy(learned.prior, riskModel, o);
  const fill = (mk: () => Policy) => () => {
    const inner = mk();
    const planned = new Map<number, number>();
    const firstDate = new Map<string, number>();
    return { ...inner, plan(c: Parameters<Policy['plan']>[0]) {
      const offset = c.day - c.rows.length;
      const rows = c.rows.map((r, i) => (r.srpeLoad === null && planned.has(offset + i) ? { ...r, srpeLoad: Math.round(planned.get(offset + i)!) } : r));
      const loads = inner.plan({ ...c, rows });
      loads.forEach((l, k) => planned.set(c.day + k, l));
      void firstDate;
      return loads;
    } };
  };
  const centre = (mk: () => Policy) => () => { const inner = mk(); return { ...inner, plan: (c: Parameters<Policy['plan']>[0]) => inner.plan({ ...c, rows: centred(c.rows) }) }; };
  let mk2 = make;
  if (v.centre) { let rm = centredRiskModel(); if (v.readinessCoef !== undefined) rm = { ...rm, coef: { ...rm.coef, readinessBelow: v.readinessCoef } }; mk2 = centre(() => recommendedPolicy(learned.prior, rm, o)); }
  const res = run(v.scratchFill ? fill(mk2) : mk2);
  console.log(line(v.name ?? JSON.stringify(v), res, t0));
}
