import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { dailyLogTemplateCsv, formatDailyLogCsv } from '@huddle/shared/log';
import { generateSyntheticFederation } from '../synthetic/index.ts';
import { isEntryPoint, parseOptions } from './args.ts';

/**
 * `synth --athletes N --days D --seed S --out file.csv`: writes a synthetic federation as a daily-log CSV ('-' = stdout).
 * `synth --template [--example] [--out file.csv]`: writes the empty daily-log template (header only; two example rows with --example).
 */
export function main(argv: string[]): number {
  const program = new Command('synth')
    .description('Write synthetic athletes (digital twins) as a daily-log CSV, or the empty daily-log template (--template)')
    .option('--template', 'write the empty daily-log template instead (header line; see docs/data-format.md)')
    .option('--example', 'with --template: add two example rows')
    .option('--athletes <n>', 'number of athletes', wholeNumber, 50)
    .option('--days <n>', 'days per athlete', wholeNumber, 365)
    .option('--seed <n>', 'random seed', wholeNumber, 1)
    .option('--start-date <date>', 'first day, YYYY-MM-DD', '2024-01-01')
    .option('--out <file>', "output CSV file, '-' for stdout (required without --template; --template defaults to stdout)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const opts = program.opts<{ athletes: number; days: number; seed: number; startDate: string; out?: string; template?: boolean; example?: boolean }>();
  if (opts.template || opts.example) {
    if (!opts.template) {
      process.stderr.write('error: --example goes with --template\n');
      return 2;
    }
    const template = dailyLogTemplateCsv({ example: opts.example === true });
    if (!opts.out || opts.out === '-') process.stdout.write(template);
    else {
      writeFileSync(opts.out, template);
      process.stderr.write(`wrote the daily-log template${opts.example ? ' with 2 example rows' : ''} to ${resolve(opts.out)}\n`);
    }
    return 0;
  }
  if (!opts.out) {
    process.stderr.write("error: required option '--out <file>' not specified\n");
    return 2;
  }
  const rows = generateSyntheticFederation({ athletes: opts.athletes, days: opts.days, seed: opts.seed, startDate: opts.startDate });
  const csv = formatDailyLogCsv(rows);
  if (opts.out === '-') process.stdout.write(csv);
  else {
    writeFileSync(opts.out, csv);
    process.stderr.write(`wrote ${rows.length} rows (${opts.athletes} athletes x ${opts.days} days, seed ${opts.seed}) to ${resolve(opts.out)}\n`);
  }
  return 0;
}

function wholeNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
}

if (isEntryPoint(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
