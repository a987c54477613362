/**
 * `pnpm bench simulate [--athletes N] [--rounds R] [--clients-per-round K] [--json]`: client updates and
 * training samples per second of the simulator's federation (deployed coordinator and client SDK, in
 * process, batching trainer) against the one-client-at-a-time tfjs loop the SDK would otherwise run.
 */
import { cpus, loadavg } from 'node:os';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { createBatchingTrainer, initialWeights, modelSpec, tfjsTrainer, trainFast, type LocalTrainConfig } from '@huddle/shared/model';
import { buildCohort, type Cohort } from '../sim/cohort.ts';
import { loadSimDataset } from '../sim/dataset.ts';
import { FaultPlan } from '../sim/faultPlan.ts';
import { startFederation } from '../sim/federation.ts';
import { resolveOptions, type SimOptions } from '../sim/options.ts';
import { privacyPlan } from '../sim/privacy.ts';
import { derivedSeed, taskConfigFor } from '../sim/taskConfig.ts';

interface Rate {
  clientUpdates: number;
  samples: number;
  seconds: number;
  clientUpdatesPerSecond: number;
  samplesPerSecond: number;
}

const rate = (clientUpdates: number, samples: number, seconds: number): Rate => ({
  clientUpdates,
  samples,
  seconds,
  clientUpdatesPerSecond: clientUpdates / seconds,
  samplesPerSecond: samples / seconds,
});

function positiveInt(raw: string): number {
  const v = Number(raw);
  if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidArgumentError('must be a positive integer');
  return v;
}

/** Rounds through the deployed engine; the first round also builds every client's features, so it is reported apart. */
async function batchedFederation(o: SimOptions, cohort: Cohort): Promise<{ all: Rate; afterFirstRound: Rate | null }> {
  const config = taskConfigFor(o, { trainingClients: cohort.clients.length, privacy: privacyPlan(o, cohort.clients.length) });
  const samplesOf = new Map(cohort.clients.map((a) => [a.clientId, a.train.n * config.fit.localEpochs]));
  const fed = await startFederation({
    transport: 'inprocess',
    config,
    clients: cohort.clients.map((a) => ({ clientId: a.clientId, rows: a.rows })),
    clientTestFraction: cohort.clientTestFraction,
    trainer: createBatchingTrainer(),
    plan: new FaultPlan({ seed: derivedSeed(o.seed, 'faults'), dropout: 0, stragglers: { kind: 'none' }, federatedEval: false }),
    selectionSeed: derivedSeed(o.seed, 'selection'),
    noiseSeed: derivedSeed(o.seed, 'noise'),
  });
  const rounds: { updates: number; samples: number; seconds: number }[] = [];
  try {
    for (let r = 0; r < o.rounds; r++) {
      const t = performance.now();
      const record = await fed.runRound();
      rounds.push({ updates: record.reported.length, samples: record.reported.reduce((s, id) => s + (samplesOf.get(id) ?? 0), 0), seconds: (performance.now() - t) / 1000 });
    }
  } finally {
    await fed.close();
  }
  const sum = (list: typeof rounds): Rate => rate(list.reduce((s, x) => s + x.updates, 0), list.reduce((s, x) => s + x.samples, 0), list.reduce((s, x) => s + x.seconds, 0));
  return { all: sum(rounds), afterFirstRound: rounds.length > 1 ? sum(rounds.slice(1)) : null };
}

/** The same local trainings one after another, until the time budget runs out. */
async function sequentialLoop(cohort: Cohort, o: SimOptions, seconds: number, train: (data: Cohort['clients'][number]['train'], config: LocalTrainConfig) => Promise<unknown>): Promise<Rate> {
  const fit = taskConfigFor(o, { trainingClients: cohort.clients.length, privacy: privacyPlan(o, cohort.clients.length) }).fit;
  const config: LocalTrainConfig = { epochs: fit.localEpochs, batchSize: fit.batchSize, learningRate: o.learningRate ?? 0.1, seed: 1, proximalMu: 0 };
  const clients = cohort.clients.filter((a) => a.train.n > 0);
  const start = performance.now();
  let updates = 0;
  let samples = 0;
  while (clients.length > 0 && (performance.now() - start) / 1000 < seconds) {
    const a = clients[updates % clients.length]!;
    await train(a.train, config);
    updates++;
    samples += a.train.n * config.epochs;
  }
  return rate(updates, samples, (performance.now() - start) / 1000);
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench simulate')
    .description('Simulator throughput: batched federation vs the one-client-at-a-time tfjs loop')
    .option('--athletes <n>', 'synthetic athletes', positiveInt, 1000)
    .option('--days <n>', 'days per athlete', positiveInt, 365)
    .option('--rounds <r>', 'federated rounds', positiveInt, 20)
    .option('--clients-per-round <k>', 'clients per round (default: every athlete)', positiveInt)
    .option('--local-epochs <e>', 'local epochs', positiveInt, 2)
    .option('--tfjs-seconds <s>', 'time budget of each sequential loop', positiveInt, 20)
    .option('--json', 'print one JSON object')
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    return err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
  }
  const f = program.opts<{ athletes: number; days: number; rounds: number; clientsPerRound?: number; localEpochs: number; tfjsSeconds: number; json?: boolean }>();
  const o = resolveOptions({ dataset: 'synthetic', athletes: f.athletes, days: f.days, rounds: f.rounds, clientsPerRound: f.clientsPerRound ?? f.athletes, localEpochs: f.localEpochs, model: 'network' });
  const log = (m: string): void => void (f.json ? undefined : process.stderr.write(`${m}\n`));

  log(`generating ${o.athletes} synthetic athletes x ${f.days} days...`);
  const cohort = buildCohort(loadSimDataset(o), { task: o.task, protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
  log(`federation: ${o.rounds} rounds of ${o.clientsPerRound} clients (batching trainer, in process)...`);
  const batched = await batchedFederation(o, cohort);
  const spec = modelSpec(o.task, FEATURE_COUNT);
  const init = initialWeights(spec, 1);
  log(`one client at a time, hand-written kernels (${f.tfjsSeconds} s)...`);
  const fastLoop = await sequentialLoop(cohort, o, f.tfjsSeconds, async (data, config) => trainFast(spec, init, data, config));
  const backend = await initNodeBackend();
  log(`one client at a time, tfjs ${backend} (${f.tfjsSeconds} s)...`);
  const tfjsLoop = await sequentialLoop(cohort, o, f.tfjsSeconds, (data, config) => tfjsTrainer.train(spec, init, data, config));

  const steady = batched.afterFirstRound ?? batched.all;
  const summary = {
    athletes: o.athletes,
    rounds: o.rounds,
    clientsPerRound: o.clientsPerRound,
    localEpochs: o.localEpochs,
    batchSize: o.batchSize,
    clientUpdatesPerSecond: steady.clientUpdatesPerSecond,
    samplesPerSecond: steady.samplesPerSecond,
    batchedFederation: { ...batched.all, afterFirstRound: batched.afterFirstRound },
    tfjsLoop: { ...tfjsLoop, backend },
    fastLoop,
    speedupVsTfjsLoop: steady.clientUpdatesPerSecond / tfjsLoop.clientUpdatesPerSecond,
    cpus: cpus().length,
    loadAverage1m: loadavg()[0],
  };
  if (f.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const line = (name: string, r: Rate): string =>
    `${name.padEnd(46)} ${r.clientUpdatesPerSecond.toFixed(1).padStart(9)} updates/s ${Math.round(r.samplesPerSecond).toLocaleString('en-US').padStart(12)} samples/s  (${r.clientUpdates} updates in ${r.seconds.toFixed(1)} s)`;
  process.stdout.write(
    [
      `${o.athletes} athletes, ${o.rounds} rounds x ${o.clientsPerRound} clients, ${o.localEpochs} local epochs, batch ${o.batchSize}`,
      line('federation, batched (all rounds)', batched.all),
      ...(batched.afterFirstRound ? [line('federation, batched (after round 1)', batched.afterFirstRound)] : []),
      line('one client at a time, hand-written kernels', fastLoop),
      line(`one client at a time, tfjs ${backend}`, tfjsLoop),
      `batched federation vs tfjs loop: ${summary.speedupVsTfjsLoop.toFixed(1)}x; ${summary.cpus} cpus, load ${summary.loadAverage1m?.toFixed(2)}`,
    ].join('\n') + '\n',
  );
  return 0;
}
