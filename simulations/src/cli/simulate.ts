/**
 * Research simulator: a federation through the deployed coordinator and client SDK, with baselines.
 *   pnpm simulate [options]            one run (see --help)
 *   pnpm simulate sweep CONFIG.json    a resumable grid of runs on worker threads
 *   pnpm simulate tune --dataset D --task T   search training settings on validation days; writes a --task-config file
 * Exit codes: 0 success, 1 the run failed, 2 bad input.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { renderReport } from '../report/html.ts';
import { addSimulationFlags, simOptionsFromFlags } from '../sim/flags.ts';
import { SimUsageError } from '../sim/options.ts';
import { createProgress } from '../sim/progress.ts';
import { runSimulation } from '../sim/runSimulation.ts';
import { summaryTable } from '../sim/summary.ts';
import { readSweepConfig } from '../sweep/config.ts';
import { writeJsonAtomic } from '../sweep/pointFiles.ts';
import { runSweep } from '../sweep/runSweep.ts';
import { tuneCommand } from './tune.ts';
import { isEntryPoint, runProgram, USAGE_ERROR } from './args.ts';

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

const FAILED = 1;

function buildProgram(out: CliOutput, setExitCode: (code: number) => void): Command {
  const program = addSimulationFlags(
    new Command('simulate')
      .description('Simulate a Huddle federation in-process (or over loopback socket.io) and compare it with centralized, local-only, personalized and heuristic baselines')
      .exitOverride()
      .enablePositionalOptions()
      .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
      .showHelpAfterError('(run with --help for usage)'),
  )
    .option('--out <file>', 'write the results JSON (schema: simulations/src/sim/resultsSchema.ts)')
    .option('--report <file>', 'write a self-contained HTML report')
    .option('--json', 'print the results JSON on stdout instead of the summary table')
    .action(async (flags: Record<string, unknown>) => {
      const progress = createProgress(out);
      const results = await runSimulation(simOptionsFromFlags(flags), { onStage: progress.stage, onRound: progress.round, onWarning: progress.warn }).finally(() => progress.stop());
      if (typeof flags.out === 'string') {
        writeJsonAtomic(flags.out, results);
        out.stderr(`[simulate] results JSON written to ${resolve(flags.out)}\n`);
      }
      if (typeof flags.report === 'string') {
        writeFileSync(flags.report, renderReport([{ label: `${results.config.task} on ${results.dataset.name}`, results }]));
        out.stderr(`[simulate] HTML report written to ${resolve(flags.report)}\n`);
      }
      out.stdout(flags.json ? `${JSON.stringify(results)}\n` : `${summaryTable(results)}\n`);
      setExitCode(0);
    });

  program
    .command('sweep')
    .description('run a grid of simulations on all cores; re-running skips points whose result file is valid')
    .argument('<config>', 'JSON file: { "base": {options}, "axes": { "option": [values...] }, "outDir"?, "workers"? }')
    .option('--workers <n>', 'worker threads (default: the config, else every core)', (raw) => {
      const n = Number(raw);
      if (!Number.isSafeInteger(n) || n < 1) throw new SimUsageError('--workers must be a positive integer');
      return n;
    })
    .option('--report <file>', 'combined report (default: OUTDIR/report.html)')
    .action(async (path: string, flags: { workers?: number; report?: string }) => {
      const config = readSweepConfig(path);
      const outcome = await runSweep(config, { ...(flags.workers && { workers: flags.workers }), ...(flags.report && { reportPath: flags.report }) }, {
        onPoint: (id, status, detail) => out.stderr(`[sweep] ${id}: ${status} (${detail})\n`),
      });
      out.stdout(
        `${outcome.computed.length} computed, ${outcome.reused.length} reused, ${outcome.failed.length} failed; results in ${outcome.outDir}, report ${outcome.reportPath}\n`,
      );
      setExitCode(outcome.failed.length > 0 ? FAILED : 0);
    });

  program.addCommand(tuneCommand(out, setExitCode));
  return program;
}

/** Runs the CLI on user arguments (no node/script prefix); resolves to the process exit code. */
export function main(argv: string[], out: CliOutput = processOutput): Promise<number> {
  return runProgram((setExitCode) => buildProgram(out, setExitCode), argv, (error) => {
    if (error instanceof SimUsageError) {
      out.stderr(`error: ${error.message.split('\n').join('\nerror: ')}\n`);
      return USAGE_ERROR;
    }
    out.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return FAILED;
  });
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
