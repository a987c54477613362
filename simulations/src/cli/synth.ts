import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { formatDailyLogCsv } from '@huddle/shared/log';
import { generateSyntheticFederation } from '../synthetic/index.ts';
import { isEntryPoint, stripDashDash } from './args.ts';

/** `synth --athletes N --days D --seed S --out file.csv`: writes a synthetic federation as a daily-log CSV ('-' = stdout). */
export function main(argv: string[]): number {
  const program = new Command('synth')
    .description('Write synthetic athletes (digital twins) as a daily-log CSV')
    .option('--athletes <n>', 'number of athletes', wholeNumber, 50)
    .option('--days <n>', 'days per athlete', wholeNumber, 365)
    .option('--seed <n>', 'random seed', wholeNumber, 1)
    .option('--start-date <date>', 'first day, YYYY-MM-DD', '2024-01-01')
    .requiredOption('--out <file>', "output CSV file, '-' for stdout")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    program.parse(stripDashDash(argv), { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = program.opts<{ athletes: number; days: number; seed: number; startDate: string; out: string }>();
  const rows = generateSyntheticFederation({ athletes: opts.athletes, days: opts.days, seed: opts.seed, startDate: opts.startDate });
  const csv = formatDailyLogCsv(rows);
  if (opts.out === '-') process.stdout.write(csv);
  else {
    writeFileSync(opts.out, csv);
    process.stderr.write(`wrote ${rows.length} rows (${opts.athletes} athletes x ${opts.days} days, seed ${opts.seed}) to ${opts.out}\n`);
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
