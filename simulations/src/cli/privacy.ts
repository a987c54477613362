/**
 * Researcher CLI for the privacy accountant.
 *   privacy epsilon --noise-multiplier Z --sampling-rate Q --rounds T --delta D [--conversion C] [--json]
 *   privacy noise --target-epsilon E --sampling-rate Q --rounds T --delta D [--conversion C] [--json]
 * Exit codes: 0 success, 1 no answer for valid input (unreachable target), 2 usage error.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { CONVERSIONS, type Conversion, computeEpsilon, findNoiseMultiplier } from '@huddle/shared/privacy';
import { isEntryPoint, processOutput, runProgram, type CliOutput } from './args.ts';

export type { CliOutput };
const NO_ANSWER = 1;

function parseNumber(raw: string): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new InvalidArgumentError('Not a finite number.');
  return value;
}

function positive(raw: string): number {
  const value = parseNumber(raw);
  if (value <= 0) throw new InvalidArgumentError('Must be > 0.');
  return value;
}

function samplingRate(raw: string): number {
  const value = parseNumber(raw);
  if (!(value > 0 && value <= 1)) throw new InvalidArgumentError('Must be in (0, 1].');
  return value;
}

function delta(raw: string): number {
  const value = parseNumber(raw);
  if (!(value > 0 && value < 1)) throw new InvalidArgumentError('Must be in (0, 1).');
  return value;
}

function positiveInteger(raw: string): number {
  const value = parseNumber(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError('Must be a positive integer.');
  return value;
}

interface CommonOptions {
  samplingRate: number;
  rounds: number;
  delta: number;
  conversion: Conversion;
  json?: boolean;
}

function addCommonOptions(command: Command): Command {
  return command
    .requiredOption('--sampling-rate <q>', 'probability that a client takes part in a round, in (0, 1]', samplingRate)
    .requiredOption('--rounds <t>', 'number of rounds (positive integer)', positiveInteger)
    .requiredOption('--delta <d>', 'target delta, in (0, 1)', delta)
    .addOption(
      new Option('--conversion <name>', 'RDP to (epsilon, delta) conversion').choices(CONVERSIONS).default('balle2020'),
    )
    .option('--json', 'print one JSON object instead of a sentence');
}

function buildProgram(out: CliOutput, setExitCode: (code: number) => void): Command {
  const program = new Command('privacy')
    .description('Differential-privacy accounting for the sampled Gaussian mechanism (RDP accountant)')
    .exitOverride()
    .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
    .showHelpAfterError('(run with --help for usage)');

  addCommonOptions(
    program
      .command('epsilon')
      .description('epsilon spent after the given rounds')
      .requiredOption('--noise-multiplier <z>', 'noise std / L2 clip bound, > 0', positive),
  ).action((options: CommonOptions & { noiseMultiplier: number }) => {
    const result = computeEpsilon(options);
    if (!Number.isFinite(result.epsilon)) {
      out.stderr(`error: epsilon is unbounded: noise multiplier ${options.noiseMultiplier} is too small to give any guarantee\n`);
      setExitCode(NO_ANSWER);
      return;
    }
    out.stdout(
      options.json
        ? `${JSON.stringify({ epsilon: result.epsilon, order: result.order, conversion: result.conversion })}\n`
        : `epsilon = ${result.epsilon.toPrecision(6)} at delta = ${options.delta} (optimal RDP order ${result.order}, conversion ${result.conversion})\n`,
    );
    setExitCode(0);
  });

  addCommonOptions(
    program
      .command('noise')
      .description('smallest noise multiplier whose epsilon meets the target')
      .requiredOption('--target-epsilon <e>', 'target epsilon, > 0', positive),
  ).action((options: CommonOptions & { targetEpsilon: number }) => {
    let result: ReturnType<typeof findNoiseMultiplier>;
    try {
      result = findNoiseMultiplier(options);
    } catch (error) {
      out.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      setExitCode(NO_ANSWER);
      return;
    }
    out.stdout(
      options.json
        ? `${JSON.stringify({ noiseMultiplier: result.noiseMultiplier, epsilon: result.epsilon })}\n`
        : `noise multiplier = ${result.noiseMultiplier.toPrecision(6)} (epsilon = ${result.epsilon.toPrecision(6)} <= target ${options.targetEpsilon} at delta = ${options.delta}, conversion ${options.conversion})\n`,
    );
    setExitCode(0);
  });

  return program;
}

/** Runs the CLI on user arguments (no node/script prefix); resolves to the process exit code. */
export function main(argv: string[], out: CliOutput = processOutput): Promise<number> {
  return runProgram((setExitCode) => buildProgram(out, setExitCode), argv);
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
