// Scratch (tuning seeds only): recommended vs static/oracle with expected injuries and the "stuck resting" share.
// Usage: SEED=1 ATHLETES=300 node --import tsx scratch/planReentry.ts '[{...recommendedOptions}]'
import { DEFAULT_CONSTRAINTS } from '@huddle/shared/twin';
import { athleteStreams } from '../src/synthetic/generate.ts';
import { learnFromTuningSeed } from '../src/plan/learnPrior.ts';
import { recommendedPolicy, staticPolicy, oraclePolicy, type Policy } from '../src/plan/policies.ts';
import { blockStart } from '../src/plan/population.ts';
import { runBlock } from '../src/plan/runBlock.ts';
import { PLAN_TUNING } from '../src/plan/tuning.ts';
import { AthleteBody } from '../src/synthetic/athleteBody.ts';

const seed = Number(process.env.SEED ?? 1);
if (seed >= 2 && seed <= 4) throw new Error('held-out seed');
const athletes = Number(process.env.ATHLETES ?? 300);
const variants: Record<string, unknown>[] = JSON.parse(process.argv[2] ?? '[{}]');
const learned = learnFromTuningSeed(1, PLAN_TUNING.priorAthletes, PLAN_TUNING.historyDays);
let seq: { lay: boolean; load: number }[] = [];
const orig = AthleteBody.prototype.train;
AthleteBody.prototype.train = function (this: AthleteBody, day, load, morning, atRisk, rng) {
  seq.push({ lay: this.inLayoff, load });
  return orig.call(this, day, load, morning, atRisk, rng);
};
function run(name: string, make: () => Policy) {
  const streams = athleteStreams({ athletes, seed });
  let perf = 0, inj = 0, exp = 0, days = 0, stuck = 0, active = 0;
  const perA: number[] = [];
  for (let i = 0; i < athletes; i++) {
    const start = blockStart(seed, i, PLAN_TUNING.historyDays, streams);
    seq = [];
    const o = runBlock(start, make(), 84);
    perf += o.performanceGain; inj += o.injuries; exp += o.expectedInjuries; days += o.days;
    perA.push(o.injuries);
    let run0 = 0;
    for (const s of seq) {
      if (s.lay) { run0 = 0; continue; }
      active++;
      if (s.load < 1) { run0++; if (run0 === 14) stuck += 14; else if (run0 > 14) stuck++; } else run0 = 0;
    }
  }
  console.log(`${name}: perf ${(perf / athletes).toFixed(2)} inj/1000 ${(1000 * inj / days).toFixed(2)} expected/1000 ${(1000 * exp / days).toFixed(3)} stuck-resting ${(100 * stuck / active).toFixed(1)}% of active days`);
  return { perf: perf / athletes, exp: 1000 * exp / days };
}
const base = process.env.BASE ? JSON.parse(process.env.BASE) : { static: { perf: 0, exp: 0 }, oracle: { perf: 0, exp: 0 } };
if (!process.env.BASE) {
  base.static = run('static', () => staticPolicy(PLAN_TUNING.historyDays));
  base.oracle = run('oracle', () => oraclePolicy({ constraints: { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: PLAN_TUNING.maxWeeklyRisk }, injuryCost: PLAN_TUNING.injuryCost }));
  console.log(`BASE='${JSON.stringify(base)}'`);
}
for (const v of variants) {
  const constraints = { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: (v.risk as number) ?? PLAN_TUNING.maxWeeklyRisk };
  const o = { constraints, injuryCost: (v.cost as number) ?? PLAN_TUNING.injuryCost, fillPlanned: PLAN_TUNING.fillPlanned, ...v };
  const r = run(JSON.stringify(v), () => recommendedPolicy(learned.prior, learned.riskModel, o));
  console.log(`   expected fewer ${(100 * (1 - r.exp / base.static.exp)).toFixed(1)}%, gap ${(100 * (r.perf - base.static.perf) / (base.oracle.perf - base.static.perf)).toFixed(0)}%`);
}
