/**
 * `pnpm bench quality [--rounds 30] [--seeds 1,2,3] [--dataset PATH.csv]... [--workers N] [--json]`: the
 * whole quality table with default settings. Synthetic (200 athletes) and SoccerMon, injury and
 * readiness, temporal protocol, plus any daily-log CSV; every method with 95% intervals bootstrapped over
 * athletes, counts, paired comparisons and warnings, for each seed. Runs go to worker threads.
 */
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { METHOD_LABELS } from '../report/palette.ts';
import { resolveOptions, type SimOptionsInput } from '../sim/options.ts';
import { resultsSchema, type SimResults } from '../sim/resultsSchema.ts';
import { countsText, forecastNote, methodsOf, withInterval } from '../sim/summary.ts';
import { runOnWorkers } from '../sweep/pool.ts';
import { parseOptions } from '../cli/args.ts';

export const QUALITY_SYNTHETIC_ATHLETES = 200;

interface QualityFlags {
  rounds: number;
  seeds: number[];
  dataset: string[];
  workers: number;
  json?: boolean;
}

export interface QualityRun {
  id: string;
  dataset: string;
  task: 'injury' | 'readiness';
  seed: number;
  options: SimOptionsInput;
}

const positiveInt = (raw: string): number => {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidArgumentError('must be a positive integer');
  return v;
};

const seedList = (raw: string): number[] => {
  const seeds = raw.split(',').map((s) => Number(s.trim()));
  if (seeds.length === 0 || seeds.some((s) => !Number.isSafeInteger(s) || s < 0)) throw new InvalidArgumentError('expected comma-separated non-negative integers, e.g. 1,2,3');
  return seeds;
};

/** Every (dataset, task, seed) of the table, with the simulator's defaults apart from rounds and seed. */
export function qualityRuns(rounds: number, seeds: readonly number[], csvs: readonly string[]): QualityRun[] {
  const datasets: { name: string; options: SimOptionsInput }[] = [
    { name: `synthetic-${QUALITY_SYNTHETIC_ATHLETES}`, options: { dataset: 'synthetic', athletes: QUALITY_SYNTHETIC_ATHLETES } },
    { name: 'soccermon', options: { dataset: 'soccermon' } },
    ...csvs.map((path) => ({ name: path, options: { dataset: path } })),
  ];
  const runs: QualityRun[] = [];
  for (const d of datasets) {
    for (const task of ['injury', 'readiness'] as const) {
      for (const seed of seeds) {
        const options: SimOptionsInput = { ...d.options, task, protocol: 'temporal', rounds, seed };
        resolveOptions(options);
        runs.push({ id: `${d.name}|${task}|seed${seed}`, dataset: d.name, task, seed, options });
      }
    }
  }
  return runs;
}

/** A run's results without the per-subgroup and per-round detail: what the table needs. */
function compact(r: SimResults) {
  const strip = (m: object): object => {
    const { subgroups: _s, calibration: _c, ...rest } = m as Record<string, unknown>;
    return rest;
  };
  return {
    data: r.dataset,
    methods: Object.fromEntries(methodsOf(r).map(([key, , m]) => [key, strip(m)])),
    comparisons: r.final.comparisons,
    bootstrap: r.final.bootstrap,
    referenceSettings: r.final.referenceSettings,
    ...(forecastNote(r) ? { forecastNote: forecastNote(r) } : {}),
    roundsCompleted: r.rounds.filter((x) => x.status === 'completed').length,
    warnings: r.warnings,
    seconds: r.timing.totalMs / 1000,
  };
}

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((line) => (line[c] ?? '').length)));
  return cells.map((line) => line.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
}

/** One block per dataset and task: a row per method and seed, then the federated model's comparisons. */
export function qualityText(groups: Map<string, { run: QualityRun; results: SimResults }[]>): string {
  const out: string[] = [];
  for (const [key, runs] of groups) {
    const first = runs[0]!.results;
    const injury = first.config.task === 'injury';
    const cols = injury ? ['auc', 'prAuc', 'brier'] : ['mae', 'rmse'];
    const names = injury ? ['AUC [95% CI]', 'PR AUC', 'Brier'] : ['MAE [95% CI]', 'RMSE [95% CI]'];
    out.push('', `== ${key} (${first.config.rounds} rounds, ${countsText(first.final.federated as never)}) ==`);
    const rows: string[][] = [['method', 'seed', ...names]];
    for (const [method, label] of methodsOf(first)) {
      for (const { run, results } of runs) {
        const m = methodsOf(results).find(([k]) => k === method)?.[2];
        if (m) rows.push([label, String(run.seed), ...cols.map((c) => withInterval(m, c))]);
      }
    }
    out.push(...pad(rows));
    if (forecastNote(first)) out.push(forecastNote(first)!);
    const comp: string[][] = [['federated vs', 'metric', ...runs.map((r) => `seed ${r.run.seed}: difference [95% CI]`)]];
    const pairs = first.final.comparisons.filter((c) => c.method === 'federated' || c.method === 'personalized');
    for (const p of pairs) {
      comp.push([
        `${METHOD_LABELS[p.method] ?? p.method} - ${METHOD_LABELS[p.reference] ?? p.reference}`,
        p.metric,
        ...runs.map(({ results }) => {
          const c = results.final.comparisons.find((x) => x.method === p.method && x.reference === p.reference && x.metric === p.metric);
          return c ? `${c.difference?.toFixed(3) ?? 'n/a'} [${c.lo?.toFixed(3) ?? 'n/a'}, ${c.hi?.toFixed(3) ?? 'n/a'}] ${c.verdict}` : 'n/a';
        }),
      ]);
    }
    comp[0]![0] = 'comparison';
    out.push('', ...pad(comp));
    for (const { run, results } of runs) for (const w of results.warnings) out.push(`WARNING (seed ${run.seed}): ${w}`);
  }
  return out.join('\n').trimStart();
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench quality')
    .description('The quality table: every method with 95% intervals over athletes, on synthetic, SoccerMon and any daily-log CSV, for each seed')
    .option('--rounds <r>', 'federated rounds', positiveInt, 30)
    .option('--seeds <list>', 'comma-separated seeds; each is reported', seedList, [1, 2, 3])
    .option('--dataset <path>', 'also a daily-log CSV (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--workers <n>', 'worker threads (default: every core)', positiveInt, availableParallelism())
    .option('--json', 'print one JSON object on stdout (the text table goes to stderr)')
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const f = program.opts<QualityFlags>();
  let runs: QualityRun[];
  try {
    runs = qualityRuns(f.rounds, f.seeds, f.dataset);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'huddle-quality-'));
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const failed: { id: string; error: string }[] = [];
  try {
    const fileOf = (i: number): string => join(dir, `run-${i}.json`);
    await runOnWorkers(
      runs.map((r, i) => ({ id: r.id, options: r.options, outFile: fileOf(i) })),
      f.workers,
      (reply) => {
        if (!reply.ok) failed.push({ id: reply.id, error: reply.error });
        process.stderr.write(`[quality] ${reply.id}: ${reply.ok ? `${(reply.ms / 1000).toFixed(1)} s` : `FAILED: ${reply.error}`}\n`);
      },
    );
    const groups = new Map<string, { run: QualityRun; results: SimResults }[]>();
    runs.forEach((run, i) => {
      if (failed.some((x) => x.id === run.id)) return;
      const results = resultsSchema.parse(JSON.parse(readFileSync(fileOf(i), 'utf8')));
      const key = `${run.dataset} ${run.task}`;
      groups.set(key, [...(groups.get(key) ?? []), { run, results }]);
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const text = qualityText(groups);
    const footer = `${runs.length - failed.length}/${runs.length} runs in ${wallSeconds.toFixed(0)} s on ${f.workers} workers (${cpus().length} cpus, load ${loadavg()[0]!.toFixed(1)})`;
    if (f.json) {
      const summary = {
        rounds: f.rounds,
        seeds: f.seeds,
        workers: f.workers,
        wallSeconds,
        mainThreadCpuSeconds: (process.cpuUsage(cpuStart).user + process.cpuUsage(cpuStart).system) / 1e6,
        cpus: cpus().length,
        loadAverage1m: loadavg()[0],
        failed,
        runs: [...groups.values()].flat().map(({ run, results }) => ({ id: run.id, dataset: run.dataset, task: run.task, seed: run.seed, ...compact(results) })),
      };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      process.stderr.write(`${text}\n${footer}\n`);
    } else process.stdout.write(`${text}\n${footer}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failed.length > 0 ? 1 : 0;
}
