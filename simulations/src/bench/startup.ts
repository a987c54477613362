import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { repoRoot } from '../datasets/repoRoot.ts';
import { parseOptions } from '../cli/args.ts';

/** The commands whose start-up time the issue sets a target for (under 1 s each), run as `npm run X -- ...` runs them. */
const COMMANDS = {
  'privacy epsilon': ['privacy', '--', 'epsilon', '--noise-multiplier', '1.1', '--sampling-rate', '0.01', '--rounds', '1000', '--delta', '1e-5', '--json'],
  'coordinator --help': ['coordinator', '--', '--help'],
} as const;

interface Timing {
  command: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Wall time of `node scripts/run.mjs ...args` (the path every root npm script takes), in ms. */
function timeOnce(args: readonly string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'run.mjs'), ...args], { cwd: repoRoot(), stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node scripts/run.mjs ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return ms;
}

/** `npm run bench -- cli [--runs N] [--json]`: start-up time of the CLIs through scripts/run.mjs (median of N runs after one warm-up, which also rebuilds stale bundles). */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench cli')
    .option('--runs <n>', 'timed runs per command', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected an integer >= 1');
      return n;
    }, 5)
    .option('--json', 'print one JSON object')
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const o = program.opts<{ runs: number; json?: boolean }>();
  const timings: Timing[] = Object.entries(COMMANDS).map(([command, args]) => {
    timeOnce(args);
    const ms = Array.from({ length: o.runs }, () => timeOnce(args));
    return { command, runs: o.runs, medianMs: Math.round(median(ms)), minMs: Math.round(Math.min(...ms)), maxMs: Math.round(Math.max(...ms)) };
  });
  const result = { bench: 'cli', via: 'node scripts/run.mjs (npm adds its own start-up on top)', targetMs: 1000, timings };
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else for (const t of timings) process.stdout.write(`${t.command.padEnd(20)} median ${t.medianMs} ms (min ${t.minMs}, max ${t.maxMs}, ${t.runs} runs)\n`);
  return 0;
}
