import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CONSTRAINTS } from '@huddle/shared/twin';
import { athleteStreams } from '../synthetic/generate.ts';
import { runProgram } from '../cli/args.ts';
import { learnFromTuningSeed } from '../plan/learnPrior.ts';
import { acwrRulePolicy, oraclePolicy, recommendedPolicy, staticPolicy, type Policy } from '../plan/policies.ts';
import { blockStart } from '../plan/population.ts';
import { runBlock, type BlockOutcome } from '../plan/runBlock.ts';
import { pairedBootstrap, summarize, type Interval } from '../plan/summarize.ts';
import { PLAN_TUNING } from '../plan/tuning.ts';

interface Options {
  athletes: number;
  weeks: number;
  seed: number;
  tuneSeed: number;
  historyDays: number;
  priorAthletes: number;
  injuryCost: number;
  maxWeeklyRisk: number;
  /** Upper quantile of the frailty posterior the recommender plans against (standard normal deviates). */
  frailtyZ?: number;
  /** Twin planners also re-plan every morning (default PLAN_TUNING.daily: once a week). */
  daily?: boolean;
  /** The recommender fills unlogged days with its own plan (default PLAN_TUNING.fillPlanned). */
  fillPlanned?: boolean;
  json: boolean;
}

export const POLICIES = ['recommended', 'static', 'acwrRule', 'oracle'] as const;

function whole(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number');
  return Number(text);
}

function positive(text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

const pct = (i: Interval) => `${(100 * i.value).toFixed(0)}% [${(100 * i.low).toFixed(0)}, ${(100 * i.high).toFixed(0)}]`;
const num = (i: Interval, digits = 2) => `${i.value.toFixed(digits)} [${i.low.toFixed(digits)}, ${i.high.toFixed(digits)}]`;

/** Planned 12-week blocks on synthetic twins whose true parameters the planner never sees. */
export async function main(argv: string[]): Promise<number> {
  return runProgram(
    (setExitCode) =>
      new Command('plan')
        .description('Recommended plans vs static periodization, an ACWR-capped rule and an oracle, on synthetic athletes')
        .option('--athletes <n>', 'athletes evaluated', whole, 1000)
        .option('--weeks <n>', 'weeks per block', whole, 12)
        .option('--seed <n>', 'data seed reported on (held out)', whole, PLAN_TUNING.reportSeed)
        .option('--tune-seed <n>', 'data seed the prior, the risk model and the tuning come from', whole, PLAN_TUNING.tuneSeed)
        .option('--history-days <n>', 'days of log before the block', whole, PLAN_TUNING.historyDays)
        .option('--prior-athletes <n>', 'tuning-seed athletes the prior and risk model are learned from', whole, PLAN_TUNING.priorAthletes)
        .option('--injury-cost <x>', 'cost of one expected injury (days of usual training)', positive, PLAN_TUNING.injuryCost)
        .option('--max-weekly-risk <p>', 'weekly injury-risk limit of the twin planners', positive, PLAN_TUNING.maxWeeklyRisk)
        .option('--daily', 'twin planners also re-plan every morning from the athlete\'s report (tried, not the default)', false)
        .option('--no-fill-planned', 'the recommender fills days with no logged load with the weekday mean, not with the load it planned')
        .option('--json', 'print JSON', false)
        .exitOverride()
        .action((o: Options) => {
          setExitCode(run(o));
        }),
    argv,
  );
}

export interface PlanBenchResult {
  config: Record<string, number>;
  results: Record<(typeof POLICIES)[number], ReturnType<typeof summarize>>;
  /** Per-athlete outcomes of each policy run (same athletes, same order). */
  outcomes: Record<string, BlockOutcome[]>;
  comparison: {
    injuryReductionVsStatic: Interval;
    performanceGainVsStatic: Interval;
    injuryGapClosed: Interval;
    performanceGapClosed: Interval;
  };
  seconds: number;
}

export function evaluatePlanners(
  o: Omit<Options, 'json'>,
  progress?: (done: number) => void,
  learned = learnFromTuningSeed(o.tuneSeed, o.priorAthletes, o.historyDays),
  policies: readonly (typeof POLICIES)[number][] = POLICIES,
): PlanBenchResult {
  const started = performance.now();
  const { prior, riskModel } = learned;
  const constraints = { ...DEFAULT_CONSTRAINTS, maxWeeklyRisk: o.maxWeeklyRisk };
  const daily = o.daily ?? PLAN_TUNING.daily;
  const planner = { constraints, injuryCost: o.injuryCost, daily };
  const frailtyZ = o.frailtyZ ?? PLAN_TUNING.frailtyZ;
  const fillPlanned = o.fillPlanned ?? PLAN_TUNING.fillPlanned;
  const days = 7 * o.weeks;
  const outcomes: Record<string, BlockOutcome[]> = Object.fromEntries(POLICIES.map((p) => [p, []]));
  const make: Record<(typeof POLICIES)[number], () => Policy> = {
    recommended: () => recommendedPolicy(prior, riskModel, { ...planner, frailtyZ, fillPlanned }),
    static: () => staticPolicy(o.historyDays),
    acwrRule: () => acwrRulePolicy(o.historyDays),
    oracle: () => oraclePolicy(planner),
  };
  let done = 0;
  for (const name of policies) {
    // Fresh streams per policy: each athlete's random streams are consumed by its run, and every policy meets the same athletes.
    const streams = athleteStreams({ athletes: o.athletes, seed: o.seed });
    for (let i = 0; i < o.athletes; i++) {
      outcomes[name]!.push(runBlock(blockStart(o.seed, i, o.historyDays, streams), make[name](), days));
      progress?.(++done);
    }
  }
  const complete = POLICIES.every((p) => outcomes[p]!.length === o.athletes);
  const groups = [outcomes.recommended!, outcomes.static!, outcomes.oracle!];
  const none = { value: NaN, low: NaN, high: NaN };
  const compare = (stat: Parameters<typeof pairedBootstrap>[1]) => (complete ? pairedBootstrap(groups, stat) : none);
  return {
    config: { athletes: o.athletes, weeks: o.weeks, seed: o.seed, tuneSeed: o.tuneSeed, historyDays: o.historyDays, injuryCost: o.injuryCost, maxWeeklyRisk: o.maxWeeklyRisk, daily: daily ? 1 : 0, fillPlanned: fillPlanned ? 1 : 0, ...(frailtyZ === undefined ? {} : { frailtyZ }) },
    results: Object.fromEntries(policies.map((p) => [p, summarize(outcomes[p]!)])) as PlanBenchResult['results'],
    outcomes,
    comparison: {
      injuryReductionVsStatic: compare(({ injuries: [r, s] }) => 1 - r! / s!),
      performanceGainVsStatic: compare(({ perf: [r, s] }) => r! - s!),
      injuryGapClosed: compare(({ injuries: [r, s, or] }) => (s! - r!) / (s! - or!)),
      performanceGapClosed: compare(({ perf: [r, s, or] }) => (r! - s!) / (or! - s!)),
    },
    seconds: (performance.now() - started) / 1000,
  };
}

function run(o: Options): number {
  const result = evaluatePlanners(o, (done) => {
    if (!o.json && process.stderr.isTTY && done % 50 === 0) process.stderr.write(`\r${done}/${4 * o.athletes} athlete blocks`);
  });
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...result.results, comparison: result.comparison, config: result.config, seconds: result.seconds })}\n`);
    return 0;
  }
  process.stdout.write(formatPlanBench(result));
  return 0;
}

/** The bench's table (Markdown), from its result or its JSON output. */
export function formatPlanBench(r0: Pick<PlanBenchResult, 'results' | 'comparison' | 'config' | 'seconds'>): string {
  const lines = [
    `Planned ${r0.config.weeks!}-week blocks, ${r0.config.athletes!} synthetic athletes, data seed ${r0.config.seed!} (tuned on seed ${r0.config.tuneSeed!}); 95% intervals over athletes.`,
    '',
    '| policy | performance gain | injuries / 1,000 athlete-days | days lost per athlete | injuries |',
    '|---|---|---|---|---|',
    ...POLICIES.map((p) => {
      const r = r0.results[p];
      return `| ${p} | ${num(r.performanceGain)} | ${num(r.injuriesPer1000Days)} | ${num(r.daysLost)} | ${r.injuries} |`;
    }),
    '',
    `Recommended vs static: ${pct(r0.comparison.injuryReductionVsStatic)} fewer injuries, performance gain ${num(r0.comparison.performanceGainVsStatic)} higher.`,
    `Share of the static-to-oracle gap closed: injuries ${pct(r0.comparison.injuryGapClosed)}, performance ${pct(r0.comparison.performanceGapClosed)}.`,
    `(${r0.seconds.toFixed(1)} s)`,
  ];
  return `${lines.join('\n')}\n`;
}
