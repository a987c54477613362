// Scratch (tuning seed 1 only): where the true hazard's acute:chronic excess comes from under the recommender.
import { DEFAULT_CONSTRAINTS } from '@huddle/shared/twin';
import { athleteStreams } from '../src/synthetic/generate.ts';
import { learnFromTuningSeed } from '../src/plan/learnPrior.ts';
import { recommendedPolicy, staticPolicy } from '../src/plan/policies.ts';
import { blockStart } from '../src/plan/population.ts';
import { runBlock } from '../src/plan/runBlock.ts';
import { PLAN_TUNING } from '../src/plan/tuning.ts';
import { AthleteBody } from '../src/synthetic/athleteBody.ts';
import { injuryHazard, type HazardInputs } from '../src/synthetic/injuryHazard.ts';

const athletes = Number(process.env.ATHLETES ?? 200);
const v = JSON.parse(process.argv[2] ?? '{}');
const learned = learnFromTuningSeed(1, PLAN_TUNING.priorAthletes, PLAN_TUNING.historyDays);
const acc: Record<string, number> = {};
const add = (k: string, x: number) => (acc[k] = (acc[k] ?? 0) + x);
let recording = false;
const orig = AthleteBody.prototype.train;
AthleteBody.prototype.train = function (this: AthleteBody, day, load, morning, atRisk, rng) {
  const returnDay = this.returnDay, prior = this.priorInjuries;
  const r = orig.call(this, day, load, morning, atRisk, rng);
  if (!recording || this.lastHazard <= 0) return r;
  const w = (this.windows as unknown as { loads: number[] }).loads;
  const a = w.slice(-7).reduce((s, l) => s + l, 0) / 7, c = w.reduce((s, l) => s + l, 0) / 28;
  const floored = a / Math.max(50, c);
  const x: HazardInputs = { acuteChronicRatio: this.windows.acuteChronicRatio(), monotony: this.windows.monotony(), readiness: morning.readiness, sleepHours: morning.sleepHours, loadRatio: load / this.params.chronicCapacity, daysSinceReturn: day - returnDay, priorInjuries: prior };
  const f = this.params.injuryFrailty;
  const h = injuryHazard(x, f);
  const ex = h - injuryHazard({ ...x, acuteChronicRatio: Math.min(1.3, x.acuteChronicRatio) }, f);
  add('days', 1); add('total', h); add('acwr', ex);
  const hidden = floored <= 1.3 && x.acuteChronicRatio > 1.3;
  const k = `${hidden ? 'floorHidden' : 'visible'}-${x.loadRatio < 0.01 ? 'rest' : 'train'}-${day - returnDay < 28 ? 'ret<28' : 'other'}`;
  add(k, ex); add('n:' + k, 1);
  return r;
};
const o = { constraints: { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: v.risk ?? PLAN_TUNING.maxWeeklyRisk }, injuryCost: PLAN_TUNING.injuryCost, fillPlanned: true, ...v };
const streams = athleteStreams({ athletes, seed: 1 });
let expSum = 0;
for (let i = 0; i < athletes; i++) { const st = blockStart(1, i, PLAN_TUNING.historyDays, streams); recording = true; expSum += runBlock(st, v.policy === 'static' ? staticPolicy(PLAN_TUNING.historyDays) : recommendedPolicy(learned.prior, learned.riskModel, o), 84).expectedInjuries; recording = false; }
console.log("expected per 1000 athlete-days", (1000 * expSum / (84 * athletes)).toFixed(3), "active days", acc.days);
const per = (key: string) => ((1000 * (acc[key] ?? 0)) / acc.days!).toFixed(3);
console.log(`total ${per('total')} acwr ${per('acwr')}`);
for (const key of Object.keys(acc).filter((k) => !k.startsWith('n:') && k.includes('-')).sort()) console.log(`  ${key}: adds ${per(key)} on ${acc['n:' + key]} days`);
