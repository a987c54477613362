import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { groupByAthlete, parseDailyLogCsv } from '@huddle/shared/log';
import {
  buildTwin, DEFAULT_CONSTRAINTS, parsePriorJson, priorSourceNote, formatPlanError, planLoads, recommendPlan, twinModel, validateConstraints, validateGoal, validatePlan, whatIf,
  type PlanGoal, type PopulationPrior, type Twin,
} from '@huddle/shared/twin';
import { learnFromTuningSeed } from '../plan/learnPrior.ts';
import { tunePlanner } from '../plan/tune.ts';
import { PLAN_TUNING } from '../plan/tuning.ts';
import { isEntryPoint, runProgram } from './args.ts';

function whole(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}
function number(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}
function numbers(text: string): number[] {
  return text.split(',').map(number);
}
function list(text: string): number[] {
  return text.split(',').filter(Boolean).map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n < 0 || n > 6) throw new InvalidArgumentError('weekdays are 0 (Monday) to 6 (Sunday), comma-separated');
    return n;
  });
}

class UserError extends Error {}

/** The prior a fit uses: a file (a published prior from GET /api/twin-prior, or a bare prior), else the built-in one; said on stderr. */
function loadPrior(path: string | undefined): PopulationPrior | undefined {
  if (path === undefined) {
    process.stderr.write(`${priorSourceNote(null)}\n`);
    return undefined;
  }
  const parsed = parsePriorJson(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new UserError(`--prior ${path}: ${parsed.error}`);
  process.stderr.write(`${parsed.published ? priorSourceNote(parsed.published) : `Population prior: from ${path} (${parsed.prior.athletes} athletes).`}\n`);
  return parsed.prior;
}

function loadTwin(csv: string, athlete: string | undefined, priorPath?: string): Twin {
  const parsed = parseDailyLogCsv(readFileSync(csv, 'utf8'));
  for (const e of parsed.errors.slice(0, 5)) process.stderr.write(`${csv}: row ${e.row}, ${e.field}: ${e.reason} (row skipped)\n`);
  const byAthlete = groupByAthlete(parsed.rows);
  const id = athlete ?? [...byAthlete.keys()][0];
  const rows = id ? byAthlete.get(id) : undefined;
  if (!rows) throw new UserError(athlete ? `athlete ${athlete} is not in ${csv}` : `${csv} has no valid rows`);
  const prior = loadPrior(priorPath);
  return buildTwin(rows, prior ? { prior } : {});
}

const pct = (p: number) => `${(100 * p).toFixed(1)}%`;

/** `npm run plan -- <twin|whatif|recommend|tune|fit-risk>`: the planner for researchers. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(
    (setExitCode) => {
      const program = new Command('plan').description('Personal twin, what-if plans and load recommendations').exitOverride();
      program
        .command('twin')
        .description("fit one athlete's twin from a daily-log CSV and print it")
        .requiredOption('--csv <file>', 'daily-log CSV')
        .option('--prior <file>', 'population prior JSON (a federation\'s GET /api/twin-prior, or a bare prior); default: the built-in prior')
        .option('--athlete <id>', 'athlete id (default: the first)')
        .action((o: { csv: string; athlete?: string; prior?: string }) => {
          const twin = loadTwin(o.csv, o.athlete, o.prior);
          process.stdout.write(`${JSON.stringify({ state: { ...twin.state, historyW: undefined }, fit: { ...twin.fit, draws: twin.fit.draws.length } }, null, 2)}\n`);
          setExitCode(0);
        });
      program
        .command('whatif')
        .description('day-by-day readiness, risk (with bands), ACWR, monotony, fitness, fatigue and form of a planned week')
        .requiredOption('--csv <file>', 'daily-log CSV')
        .requiredOption('--plan <file>', 'JSON: [{"date":"YYYY-MM-DD","sessions":[{"rpe":6,"minutes":60}]}, ...]')
        .option('--prior <file>', 'population prior JSON (a federation\'s GET /api/twin-prior, or a bare prior); default: the built-in prior')
        .option('--athlete <id>', 'athlete id (default: the first)')
        .option('--json', 'print JSON', false)
        .action((o: { csv: string; plan: string; athlete?: string; json: boolean; prior?: string }) => {
          const plan = validatePlan(JSON.parse(readFileSync(o.plan, 'utf8')));
          if (!plan.ok) {
            for (const e of plan.errors) process.stderr.write(`${formatPlanError(e)}\n`);
            setExitCode(1);
            return;
          }
          const twin = loadTwin(o.csv, o.athlete, o.prior);
          const result = whatIf(twin, planLoads(plan.days), plan.days[0]!.date);
          if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
          else {
            process.stdout.write(`${twin.fit.note}\n\ndate        load  readiness (90% band)   risk (90% band)        ACWR  monotony  form\n`);
            for (const d of result.days) {
              process.stdout.write(
                `${d.date}  ${String(Math.round(d.load)).padStart(4)}  ${d.readiness.toFixed(1)} (${d.readinessBand[0].toFixed(1)}-${d.readinessBand[1].toFixed(1)})        ${pct(d.risk)} (${pct(d.riskBand[0])}-${pct(d.riskBand[1])})   ${d.acwr.toFixed(2)}  ${d.monotony.toFixed(1).padStart(8)}  ${d.form.toFixed(2)}\n`,
              );
            }
            for (const w of result.weeklyRisk) process.stdout.write(`week from ${w.from}: injury risk ${pct(w.risk)} (${pct(w.band[0])}-${pct(w.band[1])})\n`);
            for (const w of result.warnings) process.stdout.write(`warning: ${w}\n`);
          }
          setExitCode(0);
        });
      program
        .command('recommend')
        .description('recommend the next 7-14 days toward a goal, with a reason for every change')
        .requiredOption('--csv <file>', 'daily-log CSV')
        .option('--prior <file>', 'population prior JSON (a federation\'s GET /api/twin-prior, or a bare prior); default: the built-in prior')
        .option('--athlete <id>', 'athlete id (default: the first)')
        .option('--goal <goal>', 'build | taper | return', 'build')
        .option('--date <date>', 'target date (taper: competition day; build: end of the block)')
        .option('--return-load <au>', 'return goal: largest load on the first day back (AU)', number)
        .option('--days <n>', 'days to plan (7-14)', whole, 7)
        .option('--max-weekly-risk <p>', 'largest injury risk of any week (0-1)', number, DEFAULT_CONSTRAINTS.maxWeeklyRisk)
        .option('--max-increase <x>', 'largest week-on-week increase (0.1 = +10%)', number, DEFAULT_CONSTRAINTS.maxWeeklyIncrease)
        .option('--rest <weekdays>', 'fixed rest weekdays, 0 = Monday (e.g. 0,4)', list, [])
        .option('--json', 'print JSON', false)
        .action((o: { csv: string; athlete?: string; goal: string; date?: string; returnLoad?: number; days: number; maxWeeklyRisk: number; maxIncrease: number; rest: number[]; json: boolean; prior?: string }) => {
          const goalInput = o.goal === 'return' ? { kind: 'return', returnLoad: o.returnLoad } : { kind: o.goal, targetDate: o.date };
          const goal = validateGoal(goalInput);
          const constraints = validateConstraints({ ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: o.maxWeeklyRisk, maxWeeklyIncrease: o.maxIncrease, restWeekdays: o.rest });
          if (!goal.ok || !constraints.ok) {
            for (const e of [...(goal.ok ? [] : goal.errors), ...(constraints.ok ? [] : constraints.errors)]) process.stderr.write(`${e}\n`);
            setExitCode(2);
            return;
          }
          if (o.days < 7 || o.days > 14) throw new UserError('--days must be from 7 to 14');
          const twin = loadTwin(o.csv, o.athlete, o.prior);
          const rec = recommendPlan(twinModel(twin), { horizonDays: o.days, goal: goal.value as PlanGoal, constraints: constraints.value });
          if (o.json) process.stdout.write(`${JSON.stringify({ fit: { source: twin.fit.source, note: twin.fit.note }, ...rec })}\n`);
          else {
            process.stdout.write(`${twin.fit.note}\n\n`);
            rec.reasons.forEach((r) => process.stdout.write(`${r.date}  ${String(r.from).padStart(4)} -> ${String(r.to).padStart(4)} AU  ${r.reason}\n`));
            rec.weeklyRisk.forEach((w, k) => process.stdout.write(`week ${k + 1}: injury risk ${pct(w.risk)} (limit ${pct(w.limit)})\n`));
            for (const n of rec.notes) process.stdout.write(`note: ${n}\n`);
            process.stdout.write('Advisory only: accept, edit or reject it.\n');
          }
          setExitCode(0);
        });
      program
        .command('tune')
        .description(
          'grid over the recommender\'s settings on the tuning seed (never the reporting seed): the largest injury reduction among settings with at least --min-fewer fewer injuries than static and --min-closed of the performance gap to the oracle closed',
        )
        .option('--seed <n>', 'tuning data seed', whole, PLAN_TUNING.tuneSeed)
        .option('--athletes <n>', 'athletes', whole, 100)
        .option('--weeks <n>', 'weeks per block', whole, 12)
        .option('--costs <list>', 'injury costs', numbers, [PLAN_TUNING.injuryCost])
        .option('--risks <list>', 'weekly risk limits', numbers, [0.025, 0.0275, 0.03, 0.0325])
        .option('--frailty-z <list>', 'frailty quantiles planned against, standard normal deviates ("mean": the posterior mean)', (t) => t.split(',').map((x) => (x === 'mean' ? NaN : Number(x))), [NaN])
        .option('--min-fewer <x>', 'objective floor: share fewer injuries than static', number, 0.35)
        .option('--min-closed <x>', 'objective floor: share of the performance gap closed', number, 0.55)
        .option('--reference-cost <x>', 'injury cost of the reference oracle (fixed across the grid)', number, 0.5)
        .option('--reference-risk <p>', 'weekly risk limit of the reference oracle', number, 0.0325)
        .action((o: { seed: number; athletes: number; weeks: number; costs: number[]; risks: number[]; frailtyZ: number[]; minFewer: number; minClosed: number; referenceCost: number; referenceRisk: number }) => {
          if (o.seed === PLAN_TUNING.reportSeed) throw new UserError(`seed ${o.seed} is the reporting seed: tune on another`);
          tunePlanner({ ...o, frailtyZs: o.frailtyZ, reference: { injuryCost: o.referenceCost, maxWeeklyRisk: o.referenceRisk } }, (line) => process.stdout.write(`${line}\n`));
          setExitCode(0);
        });
      program
        .command('fit-risk')
        .description('fit the load-risk model and the population prior on a tuning seed and print them')
        .option('--seed <n>', 'tuning data seed', whole, PLAN_TUNING.tuneSeed)
        .option('--athletes <n>', 'athletes', whole, PLAN_TUNING.priorAthletes)
        .action((o: { seed: number; athletes: number }) => {
          process.stdout.write(`${JSON.stringify(learnFromTuningSeed(o.seed, o.athletes, PLAN_TUNING.historyDays), null, 2)}\n`);
          setExitCode(0);
        });
      return program;
    },
    argv,
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    },
  );
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
