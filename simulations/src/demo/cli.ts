import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { runDemoFederation } from './demoFederation.ts';
import { publishedQualityLine, ROUND_HEADER, roundLine } from './roundLine.ts';
import { isEntryPoint, parseOptions } from '../cli/args.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

export async function main(argv: string[]): Promise<number> {
  const program = new Command('demo')
    .description('Demo federation: a coordinator and synthetic athletes as Node clients over socket.io on loopback')
    .option('--athletes <n>', 'synthetic athletes (one client each)', int, 10)
    .option('--rounds <n>', 'rounds per task', int, 10)
    .option('--days <n>', 'days of log per athlete (two seasons)', int, 730)
    .option('--seed <n>', 'seed of the synthetic athletes', int, 7)
    .option('--data-dir <dir>', "where the demo keeps its files, wiped at start (its own folder, never an operator's data directory)", '.huddle/demo')
    .option('--keep', 'leave the coordinator and the athletes running after the rounds; prints the dashboard URL and a read-only token')
    .option('--port <n>', 'coordinator port (0: any free port)', (v) => (v === '0' ? 0 : int(v)), 0)
    .option('--no-secure-aggregation', 'send plain clipped updates instead of masked ones')
    .option('--noise-multiplier <z>', 'DP noise multiplier (0 = no DP noise; the clients refuse device noise below their policy floor, 0.5 by default)', Number, 0.5)
    .option('--clip <c>', 'L2 clip bound of each update', Number, 0.5)
    .option('--delta <d>', 'DP delta', Number, 1e-3)
    .option('--verbose', 'print the coordinator and client logs')
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const o = program.opts<{ athletes: number; rounds: number; days: number; seed: number; dataDir: string; verbose?: boolean; secureAggregation: boolean; noiseMultiplier: number; clip: number; delta: number; keep?: boolean; port: number }>();
  if (!(o.noiseMultiplier >= 0) || !(o.clip > 0) || !(o.delta > 0 && o.delta < 1)) {
    process.stderr.write('--noise-multiplier must be >= 0, --clip > 0 and --delta in (0, 1)\n');
    return 2;
  }
  const logger = pino({ level: o.verbose ? 'info' : 'warn' }, pino.destination(2));
  const t0 = Date.now();
  const mode = `${o.secureAggregation ? 'secure aggregation (masked updates, the coordinator sees only the sum)' : 'plain clipped updates'}; ${o.noiseMultiplier > 0 ? `DP noise z = ${o.noiseMultiplier} (${o.secureAggregation ? 'distributed' : 'central'}), clip ${o.clip}, delta ${o.delta}` : 'no DP noise'}`;
  console.log(`Huddle demo: ${o.athletes} synthetic athletes enrolled by invite, signing every message, over socket.io; ${o.rounds} rounds of each task. Logs stay in per-athlete files.`);
  console.log(mode);
  console.log(ROUND_HEADER);
  const result = await runDemoFederation({
    athletes: o.athletes,
    rounds: o.rounds,
    days: o.days,
    seed: o.seed,
    dataDir: resolve(o.dataDir),
    port: o.port,
    logger,
    clientLogger: logger,
    privacy: { secureAggregation: o.secureAggregation, noiseMultiplier: o.noiseMultiplier, clip: o.clip, delta: o.delta },
    onRound: (r, clientsPerRound) => {
      console.log(roundLine(r, clientsPerRound));
      const quality = publishedQualityLine(r);
      if (quality) console.log(quality);
    },
    keep: o.keep === true,
  });
  console.log(`\nTensorFlow.js backend: ${result.backend}. Finished in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  if (o.noiseMultiplier > 0) {
    console.log(`epsilon: user-level (epsilon, ${o.delta})-DP of each task's model so far (RDP accountant, subsampled Gaussian, Balle et al. 2020 conversion).`);
    console.log('With only ten athletes the noise that keeps the model useful buys a weak guarantee; federations of hundreds get single-digit epsilon (see `npm run privacy`). Train loss is withheld under DP.');
  }
  console.log(`Final global models (additive models as huddle-additive files, networks in tfjs layers format; docs/models.md): ${result.modelDirs.map((d) => `${d}/model.json`).join(', ')}`);
  console.log(`Coordinator state (round history, checkpoints, privacy ledger): ${result.stateFile}`);
  if (result.kept) {
    const kept = result.kept;
    console.log(`\nThe federation keeps running (Ctrl-C stops it). Dashboard: ${kept.dashboardUrl}`);
    console.log(`Read-only (analyst) token to paste there: ${kept.analystToken}`);
    console.log(`Admin token (invites, settings): ${kept.adminToken}`);
    console.log(`More athletes: npm run athletes -- --coordinator ${result.url} --admin-token ${kept.adminToken} --count 5`);
    await new Promise<void>((resolveStop) => {
      const stop = () => void kept.stop().then(resolveStop, resolveStop);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
  return 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exit(1);
  });
}
