/**
 * `npm run bench -- simulate [--athletes N] [--rounds R] [--clients-per-round K] [--json]`: training samples per second
 * of the simulator's federation (deployed coordinator and client SDK, in process, batching trainer) against the same
 * kernels driven one client at a time (fastLoop) and the tfjs loop; peak RSS; bytes down and up per client per round.
 * `--sizes 1000,10000` runs each size in a fresh process (so each has its own peak RSS) and checks the targets.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { createBatchingTrainer, initialWeights, modelSpec, tfjsTrainer, trainFast, type LocalTrainConfig } from '@huddle/shared/model';
import { repoRoot } from '../datasets/repoRoot.ts';
import { buildCohort, type Cohort } from '../sim/cohort.ts';
import { loadSimDataset } from '../sim/dataset.ts';
import { FaultPlan } from '../sim/faultPlan.ts';
import { startFederation, type FederationClientSpec } from '../sim/federation.ts';
import { resolveOptions, type SimOptions } from '../sim/options.ts';
import { privacyPlan } from '../sim/privacy.ts';
import { derivedSeed, taskConfigFor } from '../sim/taskConfig.ts';
import { TrafficCounter } from '../sim/traffic.ts';
import { parseOptions } from '../cli/args.ts';

interface Rate {
  clientUpdates: number;
  samples: number;
  seconds: number;
  clientUpdatesPerSecond: number;
  samplesPerSecond: number;
}

/** Mean bytes one selected client received and sent in a round. */
interface Traffic {
  bytesDownPerClientRound: number;
  bytesUpPerClientRound: number;
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

function sizeList(raw: string): number[] {
  return raw.split(',').map((part) => positiveInt(part.trim()));
}

/** What the federation needs of a cohort: the cohort itself (features, examples) is dropped before the rounds. */
interface Prepared {
  clients: FederationClientSpec[];
  samplesOf: Map<string, number>;
  clientTestFraction: number;
  trainingClients: number;
}

interface RoundRun {
  updates: number;
  samples: number;
  seconds: number;
  selected: number;
  down: number;
  up: number;
}

/** Rounds through the deployed engine; the first round also builds every client's features, so it is reported apart. */
async function batchedFederation(o: SimOptions, p: Prepared): Promise<{ all: Rate; afterFirstRound: Rate | null; firstRound: Traffic; laterRounds: Traffic | null }> {
  const config = taskConfigFor(o, { trainingClients: p.trainingClients, privacy: privacyPlan(o, p.trainingClients) });
  const traffic = new TrafficCounter();
  const fed = await startFederation({
    transport: 'inprocess',
    config,
    clients: p.clients,
    clientTestFraction: p.clientTestFraction,
    trainer: createBatchingTrainer(),
    plan: new FaultPlan({ seed: derivedSeed(o.seed, 'faults'), dropout: 0, stragglers: { kind: 'none' }, federatedEval: false }),
    selectionSeed: derivedSeed(o.seed, 'selection'),
    noiseSeed: derivedSeed(o.seed, 'noise'),
    traffic,
  });
  traffic.take(); // joining
  const rounds: RoundRun[] = [];
  try {
    for (let r = 0; r < o.rounds; r++) {
      const t = performance.now();
      const record = await fed.runRound();
      const seconds = (performance.now() - t) / 1000;
      // roundEnd is the round's last message; it is in flight (a microtask) when runRound resolves.
      await new Promise((resolve) => setImmediate(resolve));
      const { down, up } = traffic.take();
      rounds.push({ updates: record.reported.length, samples: record.reported.reduce((s, id) => s + (p.samplesOf.get(id) ?? 0), 0), seconds, selected: record.selected.length, down, up });
    }
  } finally {
    await fed.close();
  }
  const sum = (list: RoundRun[]): Rate => rate(list.reduce((s, x) => s + x.updates, 0), list.reduce((s, x) => s + x.samples, 0), list.reduce((s, x) => s + x.seconds, 0));
  const perClient = (list: RoundRun[]): Traffic => {
    const clientRounds = list.reduce((s, x) => s + x.selected, 0);
    return { bytesDownPerClientRound: list.reduce((s, x) => s + x.down, 0) / clientRounds, bytesUpPerClientRound: list.reduce((s, x) => s + x.up, 0) / clientRounds };
  };
  return { all: sum(rounds), afterFirstRound: rounds.length > 1 ? sum(rounds.slice(1)) : null, firstRound: perClient(rounds.slice(0, 1)), laterRounds: rounds.length > 1 ? perClient(rounds.slice(1)) : null };
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

interface Flags {
  athletes: number;
  days: number;
  rounds: number;
  clientsPerRound?: number;
  localEpochs: number;
  tfjsSeconds: number;
  tfjs: boolean;
  sizes?: number[];
  json?: boolean;
}

/** The one-client-at-a-time loops on the cohort, then only what the federation needs of it (so the cohort can be freed). */
async function prepare(o: SimOptions, f: Flags, log: (m: string) => void): Promise<{ prepared: Prepared; fastLoop: Rate; tfjsLoop: (Rate & { backend: string }) | null }> {
  log(`generating ${o.athletes} synthetic athletes x ${f.days} days...`);
  const cohort = buildCohort(loadSimDataset(o), { task: o.task, protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
  const spec = modelSpec(o.task, FEATURE_COUNT);
  const init = initialWeights(spec, 1);
  log(`one client at a time, hand-written kernels (${f.tfjsSeconds} s)...`);
  const fastLoop = await sequentialLoop(cohort, o, f.tfjsSeconds, async (data, config) => trainFast(spec, init, data, config));
  let tfjsLoop: (Rate & { backend: string }) | null = null;
  if (f.tfjs) {
    const backend = await initNodeBackend();
    log(`one client at a time, tfjs ${backend} (${f.tfjsSeconds} s)...`);
    tfjsLoop = { ...(await sequentialLoop(cohort, o, f.tfjsSeconds, (data, config) => tfjsTrainer.train(spec, init, data, config))), backend };
  }
  const { localEpochs } = taskConfigFor(o, { trainingClients: cohort.clients.length, privacy: privacyPlan(o, cohort.clients.length) }).fit;
  const prepared: Prepared = {
    clients: cohort.clients.map((a) => ({ clientId: a.clientId, rows: a.rows })),
    samplesOf: new Map(cohort.clients.map((a) => [a.clientId, a.train.n * localEpochs])),
    clientTestFraction: cohort.clientTestFraction,
    trainingClients: cohort.clients.length,
  };
  return { prepared, fastLoop, tfjsLoop };
}

async function runOne(f: Flags): Promise<Record<string, unknown> & { text: string }> {
  const loadAtStart = loadavg()[0]!;
  const o = resolveOptions({ dataset: 'synthetic', athletes: f.athletes, days: f.days, rounds: f.rounds, clientsPerRound: f.clientsPerRound ?? f.athletes, localEpochs: f.localEpochs, model: 'network' });
  const log = (m: string): void => void (f.json ? undefined : process.stderr.write(`${m}\n`));
  const { prepared, fastLoop, tfjsLoop } = await prepare(o, f, log);
  log(`federation: ${o.rounds} rounds of ${o.clientsPerRound} clients (batching trainer, in process)...`);
  const batched = await batchedFederation(o, prepared);
  const steady = batched.afterFirstRound ?? batched.all;
  const traffic = batched.laterRounds ?? batched.firstRound;
  const parameters = initialWeights(modelSpec(o.task, FEATURE_COUNT), 1).length;
  const summary = {
    athletes: o.athletes,
    rounds: o.rounds,
    clientsPerRound: o.clientsPerRound,
    localEpochs: o.localEpochs,
    batchSize: o.batchSize,
    parameters,
    clientUpdatesPerSecond: steady.clientUpdatesPerSecond,
    samplesPerSecond: steady.samplesPerSecond,
    fastLoopSamplesPerSecond: fastLoop.samplesPerSecond,
    /** How many times slower the federation trains than the kernels driven one client at a time (target <= 1.3). */
    kernelOverFederation: fastLoop.samplesPerSecond / steady.samplesPerSecond,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...traffic,
    /** Bytes down per client per round over 4 x parameters (target <= 1.1). */
    downOverModelBytes: traffic.bytesDownPerClientRound / (4 * parameters),
    firstRoundTraffic: batched.firstRound,
    batchedFederation: { ...batched.all, afterFirstRound: batched.afterFirstRound },
    fastLoop,
    tfjsLoop,
    speedupVsTfjsLoop: tfjsLoop ? steady.clientUpdatesPerSecond / tfjsLoop.clientUpdatesPerSecond : null,
    cpus: cpus().length,
    loadAverage1m: loadavg()[0],
    loadAverage1mAtStart: loadAtStart,
  };
  const line = (name: string, r: Rate): string =>
    `${name.padEnd(46)} ${r.clientUpdatesPerSecond.toFixed(1).padStart(9)} updates/s ${Math.round(r.samplesPerSecond).toLocaleString('en-US').padStart(12)} samples/s  (${r.clientUpdates} updates in ${r.seconds.toFixed(1)} s)`;
  const text = [
    `${o.athletes} athletes, ${o.rounds} rounds x ${o.clientsPerRound} clients, ${o.localEpochs} local epochs, batch ${o.batchSize}, ${parameters} parameters`,
    line('federation, batched (all rounds)', batched.all),
    ...(batched.afterFirstRound ? [line('federation, batched (after round 1)', batched.afterFirstRound)] : []),
    line('one client at a time, hand-written kernels', fastLoop),
    ...(tfjsLoop ? [line(`one client at a time, tfjs ${tfjsLoop.backend}`, tfjsLoop)] : []),
    `kernel loop / federation: ${summary.kernelOverFederation.toFixed(2)}x; peak RSS ${(summary.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    `per client per round${batched.laterRounds ? ' (after round 1)' : ''}: ${Math.round(traffic.bytesDownPerClientRound)} B down (${summary.downOverModelBytes.toFixed(2)} x 4 x parameters), ${Math.round(traffic.bytesUpPerClientRound)} B up`,
    `${summary.cpus} cpus, load ${loadAtStart.toFixed(2)} at start, ${summary.loadAverage1m?.toFixed(2)} at end`,
  ].join('\n');
  return { ...summary, text };
}

/** Each size in its own process, so each peak RSS is its own. */
function runSizes(f: Flags): { results: Record<string, unknown>[]; failed: string | null } {
  const results: Record<string, unknown>[] = [];
  for (const size of f.sizes ?? []) {
    if (!f.json) process.stderr.write(`${size} clients per round (own process)...\n`);
    const args = ['bench', 'simulate', '--athletes', String(size), '--days', String(f.days), '--rounds', String(f.rounds), '--local-epochs', String(f.localEpochs), '--tfjs-seconds', String(f.tfjsSeconds), '--no-tfjs', '--json'];
    const r = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'run.mjs'), ...args], { cwd: repoRoot(), encoding: 'utf8', maxBuffer: 16 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'] });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !last.startsWith('{')) return { results, failed: `size ${size} failed (exit ${r.status}): ${r.stderr.slice(-2000)}` };
    results.push(JSON.parse(last) as Record<string, unknown>);
  }
  return { results, failed: null };
}

interface SizeFigures {
  clientsPerRound: number;
  samplesPerSecond: number;
  fastLoopSamplesPerSecond: number;
  kernelOverFederation: number;
  peakRssBytes: number;
  bytesDownPerClientRound: number;
  bytesUpPerClientRound: number;
  downOverModelBytes: number;
  loadAverage1m: number;
  loadAverage1mAtStart: number;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench simulate')
    .description('Simulator throughput: batched federation vs the same kernels one client at a time, peak RSS, bytes per client per round')
    .option('--athletes <n>', 'synthetic athletes', positiveInt, 1000)
    .option('--days <n>', 'days per athlete', positiveInt, 365)
    .option('--rounds <r>', 'federated rounds', positiveInt, 20)
    .option('--clients-per-round <k>', 'clients per round (default: every athlete)', positiveInt)
    .option('--local-epochs <e>', 'local epochs', positiveInt, 2)
    .option('--tfjs-seconds <s>', 'time budget of each sequential loop', positiveInt, 20)
    .option('--no-tfjs', 'skip the tfjs loop')
    .option('--sizes <list>', 'comma-separated clients per round (= athletes), each run in its own process, e.g. 1000,10000', sizeList)
    .option('--json', 'print one JSON object')
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const f = program.opts<Flags>();
  if (!f.sizes) {
    const { text, ...summary } = await runOne(f);
    process.stdout.write(f.json ? `${JSON.stringify(summary)}\n` : `${text}\n`);
    return 0;
  }
  const { results, failed } = runSizes(f);
  if (failed) {
    process.stderr.write(`${failed}\n`);
    return 1;
  }
  const figures = results as unknown as SizeFigures[];
  const smallest = figures[0]!;
  const largest = figures[figures.length - 1]!;
  const targets = {
    /** Federation at most 1.3x slower than the kernel loop, at every size. */
    kernelOverFederationAtMost1_3: figures.every((s) => s.kernelOverFederation <= 1.3),
    /** Throughput at the largest size within 1.2x of that at the smallest. */
    largestWithin1_2OfSmallest: smallest.samplesPerSecond / largest.samplesPerSecond <= 1.2,
    /** At most 1.5 GB peak RSS at the largest size. */
    peakRssAtMost1_5GB: largest.peakRssBytes <= 1.5e9,
    /** Bytes down per client per round at most 1.1 x 4 x parameters, at every size. */
    downAtMost1_1ModelBytes: figures.every((s) => s.downOverModelBytes <= 1.1),
  };
  if (f.json) {
    process.stdout.write(`${JSON.stringify({ sizes: results, smallestOverLargest: smallest.samplesPerSecond / largest.samplesPerSecond, targets })}\n`);
    return 0;
  }
  const rows = figures.map(
    (s) =>
      `${String(s.clientsPerRound).padStart(7)} ${Math.round(s.samplesPerSecond).toLocaleString('en-US').padStart(12)} ${Math.round(s.fastLoopSamplesPerSecond).toLocaleString('en-US').padStart(12)} ${s.kernelOverFederation.toFixed(2).padStart(7)}x ${(s.peakRssBytes / 1e6).toFixed(0).padStart(8)} MB ${Math.round(s.bytesDownPerClientRound).toString().padStart(8)} ${Math.round(s.bytesUpPerClientRound).toString().padStart(8)}   ${s.loadAverage1mAtStart.toFixed(1)}-${s.loadAverage1m.toFixed(1)}`,
  );
  process.stdout.write(
    [
      `clients  federation   kernel loop   ratio   peak RSS   B down     B up   load (1 min, start-end)`,
      `         samples/s    samples/s`,
      ...rows,
      `throughput at ${smallest.clientsPerRound} / at ${largest.clientsPerRound}: ${(smallest.samplesPerSecond / largest.samplesPerSecond).toFixed(2)}x`,
      ...Object.entries(targets).map(([k, ok]) => `${ok ? 'met    ' : 'NOT met'} ${k}`),
    ].join('\n') + '\n',
  );
  return 0;
}
