// Scratch (analyst's view, tuning seed 1 only): what each term of the TRUE hazard adds under a policy, split by context.
// Usage: node --import tsx scratch/planHazardSplit.ts '[{...variant}]'
import { DEFAULT_CONSTRAINTS } from '@huddle/shared/twin';
import { athleteStreams } from '../src/synthetic/generate.ts';
import { learnFromTuningSeed } from '../src/plan/learnPrior.ts';
import { recommendedPolicy, staticPolicy, oraclePolicy } from '../src/plan/policies.ts';
import { blockStart } from '../src/plan/population.ts';
import { runBlock } from '../src/plan/runBlock.ts';
import { PLAN_TUNING } from '../src/plan/tuning.ts';
import { AthleteBody } from '../src/synthetic/athleteBody.ts';
import { injuryHazard, type HazardInputs } from '../src/synthetic/injuryHazard.ts';

const variants: Record<string, unknown>[] = JSON.parse(process.argv[2] ?? '[{}]');
const athletes = Number(process.env.ATHLETES ?? 200);
const learned = learnFromTuningSeed(1, PLAN_TUNING.priorAthletes, PLAN_TUNING.historyDays);
type Acc = Record<string, number>;
let acc: Acc = {};
let recording = false;
let trace: string[] = [];
const add = (k: string, v: number) => (acc[k] = (acc[k] ?? 0) + v);
const orig = AthleteBody.prototype.train;
AthleteBody.prototype.train = function (this: AthleteBody, day, load, morning, atRisk, rng) {
  const returnDay = this.returnDay;
  const prior = this.priorInjuries;
  const yesterday = this.yesterdayLoadRatio;
  const r = orig.call(this, day, load, morning, atRisk, rng);
  if (!recording || this.lastHazard <= 0) return r;
  const x: HazardInputs = {
    acuteChronicRatio: this.windows.acuteChronicRatio(), monotony: this.windows.monotony(), readiness: morning.readiness, sleepHours: morning.sleepHours,
    loadRatio: load / this.params.chronicCapacity, daysSinceReturn: day - returnDay, priorInjuries: prior,
  };
  const f = this.params.injuryFrailty;
  const h = injuryHazard(x, f);
  add('days', 1);
  add('total', h);
  add('acwr', h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f));
  add('mono', h - injuryHazard({ ...x, monotony: Math.min(2, x.monotony) }, f));
  add('ready', h - injuryHazard({ ...x, readiness: Math.max(6, x.readiness) }, f));
  add('sleep', h - injuryHazard({ ...x, sleepHours: Math.max(6.5, x.sleepHours) }, f));
  add('return', h - injuryHazard({ ...x, daysSinceReturn: 1e9 }, f));
  add('prior', h - injuryHazard({ ...x, priorInjuries: 0 }, f));
  const since = day - returnDay;
  const ctx = since < 28 ? 'ret<28' : 'other';
  add(`acwr@${ctx}`, h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f));
  add(`acwr@${x.loadRatio < 0.05 ? 'rest' : 'train'}${ctx}`, h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f));
  add(`acwr@${x.loadRatio < 0.05 ? 'rest' : 'train'}`, h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f));
  const bucket = since < 7 ? 's0-6' : since < 14 ? 's7-13' : since < 28 ? 's14-27' : since < 60 ? 's28-59' : 's60+';
  add(`hb:${bucket}`, h); add(`nb:${bucket}`, 1); add(`ab:${bucket}`, h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f));
  const hard = x.loadRatio >= 1.3;
  add(`h:${hard ? 'hard' : x.loadRatio < 0.05 ? 'rest' : 'easy'}after${yesterday >= 1.3 ? 'hard' : yesterday < 0.05 ? 'rest' : 'easy'}`, h);
  add(`n:${hard ? 'hard' : x.loadRatio < 0.05 ? 'rest' : 'easy'}after${yesterday >= 1.3 ? 'hard' : yesterday < 0.05 ? 'rest' : 'easy'}`, 1);
  add('readinessSum', x.readiness);
  if (process.env.TRACE) trace.push(`${x.loadRatio.toFixed(2)}${x.acuteChronicRatio > 1.3 ? `!${x.acuteChronicRatio.toFixed(2)}` : ''}${since < 60 ? `r${since}` : ''}`);
  add('loadSum', x.loadRatio);
  return r;
};
for (const v of variants) {
  acc = {};
  const constraints = { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: (v.risk as number) ?? PLAN_TUNING.maxWeeklyRisk };
  const o = { constraints, injuryCost: (v.cost as number) ?? PLAN_TUNING.injuryCost, ...v };
  const base = () => recommendedPolicy(learned.prior, learned.riskModel, o);
  const trueLog = () => { const inner = base(); return { ...inner, plan: (c: Parameters<typeof inner.plan>[0]) => inner.plan({ ...c, rows: c.rows.map((r, i) => ({ ...r, srpeLoad: c.trueLoads[i]! })) }) }; };
  const make = v.trueLog ? trueLog : v.policy === 'static' ? () => staticPolicy(PLAN_TUNING.historyDays) : v.policy === 'oracle' ? () => oraclePolicy(o) : () => recommendedPolicy(learned.prior, learned.riskModel, o);
  const streams = athleteStreams({ athletes, seed: 1 });
  let perf = 0;
  for (let i = 0; i < athletes; i++) {
    const start = blockStart(1, i, PLAN_TUNING.historyDays, streams);
    recording = true;
    perf += runBlock(start, make(), 84).performanceGain / athletes;
    recording = false;
    if (process.env.TRACE && i < Number(process.env.TRACE) && trace.some((t) => t.includes("r"))) { console.log(`athlete ${i}: ${trace.map((t, d) => (d % 7 === 0 ? '| ' : '') + t).join(' ')}`); }
    trace = [];
  }
  const per = (k: string) => ((1000 * (acc[k] ?? 0)) / acc.days!).toFixed(2);
  console.log(`${JSON.stringify(v)} perf ${perf.toFixed(2)} active days ${acc.days} mean readiness ${(acc.readinessSum! / acc.days!).toFixed(2)} mean load ${(acc.loadSum! / acc.days!).toFixed(2)}`);
  console.log('  per 1000 active days:', ['total', 'acwr', 'mono', 'ready', 'sleep', 'return', 'prior', 'acwr@ret<28', 'acwr@other', 'acwr@rest', 'acwr@train', 'acwr@restother', 'acwr@trainother'].map((k) => `${k} ${per(k)}`).join(', '));
  console.log('  by days since return:', ['s0-6', 's7-13', 's14-27', 's28-59', 's60+'].map((b) => `${b}: ${(100 * (acc[`nb:${b}`] ?? 0) / acc.days!).toFixed(1)}% days, adds ${per(`hb:${b}`)} (acwr ${per(`ab:${b}`)})`).join(' | '));
  for (const a of ['hard', 'easy', 'rest']) console.log('  ', ['hard', 'easy', 'rest'].map((b) => `${a}after${b}: ${(100 * (acc[`n:${a}after${b}`] ?? 0) / acc.days!).toFixed(0)}% days, ${((1000 * (acc[`h:${a}after${b}`] ?? 0)) / (acc[`n:${a}after${b}`] ?? 1)).toFixed(2)}/1000`).join(' | '));
}
