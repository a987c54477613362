import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import type { RoundRecord } from '@huddle/coordinator';
import { runDemoFederation } from './demoFederation.ts';
import { isEntryPoint, stripDashDash } from '../cli/args.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

function formatRound(r: RoundRecord): string {
  const who = `${r.reported.length}/${r.selected.length}${r.dropped.length ? ` (${r.dropped.length} dropped)` : ''}`;
  if (r.status === 'abandoned') return `${String(r.round).padStart(5)}  ${r.task.padEnd(9)}  abandoned: ${r.reason}`;
  const m = r.metrics;
  const metric = r.task === 'injury' ? `ROC AUC ${fmt(m?.auc)} (${m?.positives ?? 0} of ${m?.evalExamples ?? 0} days positive)` : `MAE ${fmt(m?.mae)} (${m?.evalExamples ?? 0} days)`;
  const eps = r.privacy ? r.privacy.epsilon.toFixed(2) : 'n/a';
  return `${String(r.round).padStart(5)}  ${r.task.padEnd(9)}  ${who.padEnd(14)}  ${fmt(r.trainLoss).padStart(10)}  ${fmt(m?.loss).padStart(13)}  ${eps.padStart(7)}  ${metric}`;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '  n/a' : v.toFixed(4));

export async function main(argv: string[]): Promise<number> {
  const program = new Command('demo')
    .description('Demo federation: a coordinator and synthetic athletes as Node clients over socket.io on loopback')
    .option('--athletes <n>', 'synthetic athletes (one client each)', int, 10)
    .option('--rounds <n>', 'rounds per task', int, 10)
    .option('--days <n>', 'days of log per athlete (two seasons)', int, 730)
    .option('--seed <n>', 'seed of the synthetic athletes', int, 7)
    .option('--data-dir <dir>', 'where the demo keeps its files (wiped at start)', './federation-data/demo')
    .option('--no-secure-aggregation', 'send plain clipped updates instead of masked ones')
    .option('--noise-multiplier <z>', 'DP noise multiplier (0 = no DP noise)', Number, 0.3)
    .option('--clip <c>', 'L2 clip bound of each update', Number, 0.5)
    .option('--delta <d>', 'DP delta', Number, 1e-3)
    .option('--verbose', 'print the coordinator and client logs')
    .exitOverride();
  try {
    program.parse(stripDashDash(argv), { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ athletes: number; rounds: number; days: number; seed: number; dataDir: string; verbose?: boolean; secureAggregation: boolean; noiseMultiplier: number; clip: number; delta: number }>();
  if (!(o.noiseMultiplier >= 0) || !(o.clip > 0) || !(o.delta > 0 && o.delta < 1)) {
    process.stderr.write('--noise-multiplier must be >= 0, --clip > 0 and --delta in (0, 1)\n');
    return 2;
  }
  const logger = pino({ level: o.verbose ? 'info' : 'warn' }, pino.destination(2));
  const t0 = Date.now();
  const mode = `${o.secureAggregation ? 'secure aggregation (masked updates, the coordinator sees only the sum)' : 'plain clipped updates'}; ${o.noiseMultiplier > 0 ? `DP noise z = ${o.noiseMultiplier} (${o.secureAggregation ? 'distributed' : 'central'}), clip ${o.clip}, delta ${o.delta}` : 'no DP noise'}`;
  console.log(`Huddle demo: ${o.athletes} synthetic athletes enrolled by invite, signing every message, over socket.io; ${o.rounds} rounds of each task. Logs stay in per-athlete files.`);
  console.log(mode);
  console.log(`round  task       participants    train loss  held-out loss  epsilon  held-out metric`);
  const result = await runDemoFederation({
    athletes: o.athletes,
    rounds: o.rounds,
    days: o.days,
    seed: o.seed,
    dataDir: resolve(o.dataDir),
    port: 0,
    logger,
    clientLogger: logger,
    privacy: { secureAggregation: o.secureAggregation, noiseMultiplier: o.noiseMultiplier, clip: o.clip, delta: o.delta },
    onRound: (r) => console.log(formatRound(r)),
  });
  console.log(`\nTensorFlow.js backend: ${result.backend}. Finished in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  if (o.noiseMultiplier > 0) {
    console.log(`epsilon: user-level (epsilon, ${o.delta})-DP of each task's model so far (RDP accountant, subsampled Gaussian, Balle et al. 2020 conversion).`);
    console.log('With only ten athletes the noise that keeps the model useful buys a weak guarantee; federations of hundreds get single-digit epsilon (see `pnpm privacy`). Train loss is withheld under DP.');
  }
  console.log(`Final global models (additive models as huddle-additive files, networks in tfjs layers format; docs/models.md): ${result.modelDirs.map((d) => `${d}/model.json`).join(', ')}`);
  console.log(`Coordinator state (round history, checkpoints, privacy ledger): ${result.stateFile}`);
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exit(1);
  });
}
