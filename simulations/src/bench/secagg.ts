import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { FederatedClient, InMemoryDataSource } from '@huddle/client-sdk';
import { Coordinator, FileStore, type RoundRecord } from '@huddle/coordinator';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { defaultModelSettings, defaultTaskConfig, encodeEnvelope, encodeMessage, InProcessNetwork, sealMessage, SECURE_EXTRA_COORDINATES, type ClientTransport } from '@huddle/shared/protocol';
import { SecAggClient, SecAggServer, resolveParams, suggestedNeighbours } from '@huddle/shared/secagg';
import { Prng } from '@huddle/shared/random';
import { generateSyntheticFederation } from '../synthetic/index.ts';
import { parseOptions } from '../cli/args.ts';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { benchSpec } from './benchSpec.ts';
import { widenedTrainer, type TimedTrainer } from './secaggModel.ts';

/**
 * `pnpm bench secagg`: wall time of one federated round of the real Coordinator + FederatedClient over the in-process
 * transport (the same round code as deployment, minus sockets), once plain and once under secure aggregation, both
 * including every client's local training (fastTrainer, one epoch over 365 days) on a model of ~D parameters.
 * Then one SecAgg round of the real state machines driven client after client, to time each client's own SecAgg
 * compute without the other clients' work interleaved.
 */

const TRAIN_DAYS = 365;
/** Synthetic days per athlete: the injury task needs 7 days of history before the first example. */
const LOG_DAYS = TRAIN_DAYS + 10;
const TASK = 'injury' as const;

interface Options {
  clients: number;
  params: number;
  neighbours: string;
  threshold?: number;
  seed: number;
  json: boolean;
}

interface RoundRun {
  ms: number;
  /** CPU time of this process (all threads: WebCrypto runs on the thread pool) during the round. */
  cpuMs: number;
  record: RoundRecord;
  trainMs: number;
  trainCalls: number;
  trainExamples: number;
  /** Mean bytes (sealed msgpack envelopes) one client sent during the round, all messages (fit or SecAgg, evaluation). */
  bytesPerClient: number;
  /** Mean bytes one client received during the round. */
  bytesToClient: number;
}

interface IsolatedSecAgg {
  neighbours: number;
  threshold: number;
  clientMs: number;
  clientMsTotal: number;
  clientMsP50: number;
  clientMsP95: number;
  clientMsMax: number;
  /** The same per-client steps in CPU time of the process (all threads). */
  clientCpuMs: { mean: number; p50: number; p95: number };
  steps: { advertise: number; shareKeys: number; mask: number; unmask: number };
  serverMs: number;
  /** Bytes of the four SecAgg messages one client sends, sealed as on the wire; mean over clients. */
  secaggBytesPerClient: number;
  sumCorrect: boolean;
}

/** Counts the bytes a client sends and receives. */
function counting(inner: ClientTransport, counter: { sent: number; received: number }): ClientTransport {
  return {
    open: (h) =>
      inner.open({
        onOpen: () => h.onOpen(),
        onClose: (r) => h.onClose(r),
        onMessage: (bytes) => {
          if (bytes instanceof Uint8Array) counter.received += bytes.byteLength;
          h.onMessage(bytes);
        },
      }),
    send: (bytes) => {
      counter.sent += bytes.byteLength;
      inner.send(bytes);
    },
    close: () => inner.close(),
  };
}

function neighboursOption(value: string): number | null {
  if (value === 'all') return null;
  const k = Number.parseInt(value, 10);
  if (!Number.isInteger(k) || k < 2) throw new Error(`--neighbours must be an integer >= 2 or "all", got ${value}`);
  return k;
}

async function oneRound(opts: Options, athletes: DailyLogRow[][], secure: boolean, trainer: TimedTrainer): Promise<RoundRun> {
  const { featureCount } = benchSpec(opts.params);
  const dir = mkdtempSync(join(tmpdir(), 'huddle-bench-secagg-'));
  const n = opts.clients;
  const config = defaultTaskConfig(TASK, {
    // The network the bench sizes to ~D parameters (the task's default family is the additive model, which the
    // trainer below never sees).
    model: defaultModelSettings(TASK, 'network'),
    clientsPerRound: n,
    minClients: n,
    overSelection: 1,
    roundTimeoutMs: 3_600_000,
    evaluateTimeoutMs: 3_600_000,
    fit: { localEpochs: 1, batchSize: 32, learningRate: 0.1, proximalMu: 0, clipNorm: 5, seed: opts.seed },
    secureAggregation: { enabled: secure, neighbours: neighboursOption(opts.neighbours), threshold: opts.threshold ?? null, phaseTimeoutMs: 3_600_000 },
  });
  const coordinator = new Coordinator({ tasks: [config], store: new FileStore(dir), featureCount, selectionSeed: opts.seed, maxMessageBytes: 64 * 1024 * 1024 });
  const network = new InProcessNetwork();
  await coordinator.attach(network.server);
  const counters = athletes.map(() => ({ sent: 0, received: 0 }));
  const clients = athletes.map(
    (rows, i) =>
      new FederatedClient({
        transport: counting(network.connect(), counters[i]!),
        clientId: `bench-${String(i + 1).padStart(4, '0')}`,
        data: new InMemoryDataSource(rows),
        tasks: [TASK],
        trainer,
        // Every labelled day trains; evaluation then runs on no rows (the widened model cannot read 30-column test rows).
        testFraction: 0,
      }),
  );
  try {
    await Promise.all(clients.map((c) => c.start()));
    // Builds each client's features from its log now, so neither timed round pays for it.
    await Promise.all(clients.map((c) => c.predictLatest(TASK)));
    await coordinator.waitForClients(TASK, n, 60_000);
    for (const c of counters) c.sent = c.received = 0;
    trainer.reset();
    (globalThis as { gc?: () => void }).gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const record = await coordinator.runRound(TASK);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (record.status !== 'completed') throw new Error(`the ${secure ? 'secure' : 'plain'} round was ${record.status}: ${record.reason}`);
    if (record.reported.length !== n) throw new Error(`the ${secure ? 'secure' : 'plain'} round counted ${record.reported.length} of ${n} clients`);
    const mean = (f: (c: { sent: number; received: number }) => number) => counters.reduce((s, c) => s + f(c), 0) / counters.length;
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, record, trainMs: trainer.stats.ms, trainCalls: trainer.stats.calls, trainExamples: trainer.stats.examples, bytesPerClient: mean((c) => c.sent), bytesToClient: mean((c) => c.received) };
  } finally {
    clients.forEach((c) => c.stop());
    await coordinator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes of a SecAgg payload as a client sends it: inside a `secagg` message, inside a sealed envelope. */
function sealedSize(roundId: string, payload: unknown, seq: number): number {
  const body = encodeMessage({ type: 'secagg', roundId, payload: payload as Record<string, unknown> });
  return encodeEnvelope(sealMessage(null, new Uint8Array(32), seq, body)).byteLength;
}

/** One SecAgg round of the real state machines, each client's step awaited alone so its time is its own. */
async function isolatedSecAgg(opts: Options, vectorLength: number): Promise<IsolatedSecAgg> {
  const n = opts.clients;
  const roundId = `bench-secagg-${opts.seed}`;
  const k = neighboursOption(opts.neighbours);
  const server = new SecAggServer({ roundId, vectorLength, minClients: n, ...(k !== null ? { neighbours: k } : {}), ...(opts.threshold ? { threshold: opts.threshold } : {}) });
  const ids = Array.from({ length: n }, (_, i) => `bench-${String(i + 1).padStart(4, '0')}`);
  const clients = ids.map((clientId) => new SecAggClient({ roundId, clientId, policy: { minNeighbours: 2, vectorLength } }));
  const rng = new Prng(opts.seed);
  const inputs = ids.map(() => Uint32Array.from({ length: vectorLength }, () => rng.nextUint32()));
  const steps = { advertise: new Float64Array(n), shareKeys: new Float64Array(n), mask: new Float64Array(n), unmask: new Float64Array(n) };
  const bytes = new Float64Array(n);
  const cpu = new Float64Array(n);
  let serverMs = 0;
  const timed = async <T>(into: Float64Array, i: number, run: () => Promise<T>): Promise<T> => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = await run();
    into[i]! += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpu[i]! += (c.user + c.system) / 1000;
    return out;
  };
  const onServer = async <T>(run: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const out = await run();
    serverMs += performance.now() - t0;
    return out;
  };
  for (let i = 0; i < n; i++) {
    const m = await timed(steps.advertise, i, () => clients[i]!.advertiseKeys());
    bytes[i]! += sealedSize(roundId, m, 2);
    await onServer(() => server.acceptAdvertiseKeys(m));
  }
  const roster = await onServer(() => server.roster());
  for (let i = 0; i < n; i++) {
    const m = await timed(steps.shareKeys, i, () => clients[i]!.shareKeys(roster));
    bytes[i]! += sealedSize(roundId, m, 3);
    await onServer(() => server.acceptShareKeys(m));
  }
  const relay = await onServer(() => server.relay());
  for (let i = 0; i < n; i++) {
    const m = await timed(steps.mask, i, () => clients[i]!.maskInput(inputs[i]!, relay.get(ids[i]!)!));
    bytes[i]! += sealedSize(roundId, m, 4);
    await onServer(() => server.acceptMaskedInput(m));
  }
  const request = await onServer(() => server.unmaskRequest());
  for (let i = 0; i < n; i++) {
    const m = await timed(steps.unmask, i, () => clients[i]!.checkSurvivors(request));
    bytes[i]! += sealedSize(roundId, m, 5);
    await onServer(() => server.acceptSurvivorSignature(m));
  }
  const proof = await onServer(() => server.consistencyProof());
  for (let i = 0; i < n; i++) {
    const m = await timed(steps.unmask, i, () => clients[i]!.unmask(proof));
    bytes[i]! += sealedSize(roundId, m, 5);
    await onServer(() => server.acceptUnmaskResponse(m));
  }
  const sum = await onServer(() => server.finalize());
  const expected = new Uint32Array(vectorLength);
  for (const x of inputs) for (let j = 0; j < vectorLength; j++) expected[j] = (expected[j]! + x[j]!) >>> 0;
  const perClient = ids.map((_, i) => steps.advertise[i]! + steps.shareKeys[i]! + steps.mask[i]! + steps.unmask[i]!).sort((a, b) => a - b);
  const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
  const cpuSorted = Array.from(cpu).sort((a, b) => a - b);
  const params = resolveParams(n, { vectorLength, ...(k !== null ? { neighbours: k } : {}), ...(opts.threshold ? { threshold: opts.threshold } : {}) });
  return {
    neighbours: params.neighbours,
    threshold: params.threshold,
    clientMs: mean(perClient),
    clientMsTotal: perClient.reduce((a, b) => a + b, 0),
    clientMsP50: perClient[Math.floor(n / 2)]!,
    clientMsP95: perClient[Math.min(n - 1, Math.floor(0.95 * n))]!,
    clientMsMax: perClient[n - 1]!,
    clientCpuMs: { mean: mean(cpu), p50: cpuSorted[Math.floor(n / 2)]!, p95: cpuSorted[Math.min(n - 1, Math.floor(0.95 * n))]! },
    steps: { advertise: mean(steps.advertise), shareKeys: mean(steps.shareKeys), mask: mean(steps.mask), unmask: mean(steps.unmask) },
    serverMs,
    secaggBytesPerClient: mean(bytes),
    sumCorrect: sum.every((v, j) => v === expected[j]),
  };
}

const r1 = (v: number) => Math.round(v * 10) / 10;

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench secagg')
    .description('One round with and without secure aggregation (real Coordinator + FederatedClient, in-process transport), local training included')
    .option('--clients <n>', 'clients in the round', (v) => Number.parseInt(v, 10), 100)
    .option('--params <d>', 'model parameters (approximate: the F-32-16-1 injury network with F chosen to fit)', (v) => Number.parseInt(v, 10), 10_000)
    .option('--neighbours <k>', 'SecAgg+ neighbours per client, or "all" for classic SecAgg (default 2 ceil(log2 n))')
    .option('--threshold <t>', 'Shamir threshold (default floor(2k/3) + 1)', (v) => Number.parseInt(v, 10))
    .option('--seed <s>', 'data and selection seed', (v) => Number.parseInt(v, 10), 1)
    .option('--trainer <kind>', 'local training: fast (hand-written kernels, the simulator\'s) or tfjs (what the client SDK runs on devices)', 'fast')
    .option('--json', 'print one JSON object', false)
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const raw = program.opts<Omit<Options, 'neighbours'> & { neighbours?: string }>();
  if (!(raw.clients >= 3) || !(raw.params >= 1)) {
    process.stderr.write('--clients must be at least 3 and --params positive\n');
    return 2;
  }
  const opts: Options = { ...raw, neighbours: raw.neighbours ?? String(suggestedNeighbours(raw.clients)) };
  const log = (s: string) => void (opts.json ? process.stderr : process.stdout).write(`${s}\n`);
  const model = benchSpec(opts.params);
  log(`model: injury network ${[model.featureCount, ...model.spec.layers.map((l) => l.units)].join('-')}, ${model.parameterCount} parameters (asked ${opts.params}); ${opts.clients} clients, ${TRAIN_DAYS} days each, 1 epoch, batch 32`);

  const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: opts.clients, days: LOG_DAYS, seed: opts.seed })).values()];
  const kind = (raw as { trainer?: string }).trainer === 'tfjs' ? 'tfjs' : 'fast';
  if (kind === 'tfjs') await initNodeBackend();
  const trainer = widenedTrainer(TRAIN_DAYS, kind);
  // Warm-up (JIT, wasm kernels, workspace) outside the timed rounds.
  await oneRound({ ...opts, clients: Math.min(opts.clients, 5), neighbours: 'all' }, athletes.slice(0, Math.min(opts.clients, 5)), true, trainer).catch(() => undefined);

  log('plain round...');
  const plain = await oneRound(opts, athletes, false, trainer);
  log(`  ${r1(plain.ms)} ms (local training ${r1(plain.trainMs)} ms over ${plain.trainCalls} clients)`);
  log('secure round...');
  const secure = await oneRound(opts, athletes, true, trainer);
  log(`  ${r1(secure.ms)} ms (local training ${r1(secure.trainMs)} ms over ${secure.trainCalls} clients)`);
  log('per-client SecAgg compute (state machines driven one client at a time)...');
  const iso = await isolatedSecAgg(opts, model.parameterCount + SECURE_EXTRA_COORDINATES);

  const result = {
    clients: opts.clients,
    params: model.parameterCount,
    neighbours: iso.neighbours,
    threshold: iso.threshold,
    plainMs: r1(plain.ms),
    secureMs: r1(secure.ms),
    ratio: Math.round((secure.ms / plain.ms) * 100) / 100,
    /** The same two rounds in CPU time: steadier than wall time on a shared machine. */
    plainCpuMs: r1(plain.cpuMs),
    secureCpuMs: r1(secure.cpuMs),
    cpuRatio: Math.round((secure.cpuMs / plain.cpuMs) * 100) / 100,
    clientMs: r1(iso.clientMs),
    bytesPerClient: Math.round(secure.bytesPerClient),
    plainBytesPerClient: Math.round(plain.bytesPerClient),
    secaggBytesPerClient: Math.round(iso.secaggBytesPerClient),
    bytesToClientSecure: Math.round(secure.bytesToClient),
    bytesToClientPlain: Math.round(plain.bytesToClient),
    trainMsPlain: r1(plain.trainMs),
    trainMsSecure: r1(secure.trainMs),
    secureOverheadMs: r1(secure.ms - plain.ms),
    /** All clients' SecAgg compute added up: in this one process it runs back to back; on devices, in parallel. */
    clientSecAggTotalMs: r1(iso.clientMsTotal),
    clientMsP50: r1(iso.clientMsP50),
    clientMsP95: r1(iso.clientMsP95),
    clientMsMax: r1(iso.clientMsMax),
    clientCpuMs: { mean: r1(iso.clientCpuMs.mean), p50: r1(iso.clientCpuMs.p50), p95: r1(iso.clientCpuMs.p95) },
    clientStepsMs: { advertise: r1(iso.steps.advertise), shareKeys: r1(iso.steps.shareKeys), mask: r1(iso.steps.mask), unmask: r1(iso.steps.unmask) },
    serverSecAggMs: r1(iso.serverMs),
    isolatedSumCorrect: iso.sumCorrect,
    targets: {
      ratioAtMost1_5: secure.ms / plain.ms <= 1.5,
      secureUnder5s: secure.ms < 5000,
      clientMsP95Under20: iso.clientMsP95 < 20,
    },
    cpus: cpus().length,
    loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
    measured:
      'plainMs/secureMs: wall time of Coordinator.runRound (select, fit with local training, aggregate, evaluate, checkpoint) with N FederatedClients over InProcessNetwork in this one process; ' +
      'bytesPerClient: mean bytes one client sent in the secure round (sealed msgpack envelopes: 4 SecAgg messages + evaluation); ' +
      'plainCpuMs/secureCpuMs: CPU time of the process over the same rounds; ' +
      'clientMs (clientMsP50, clientMsP95): mean (percentiles) over clients of advertise+shareKeys+mask+unmask of SecAggClient, each client run alone (no interleaving), on a D+3 vector',
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    log(`plain round   ${result.plainMs} ms`);
    log(`secure round  ${result.secureMs} ms  (ratio ${result.ratio}, k = ${result.neighbours}, t = ${result.threshold})`);
    log(`  CPU time ${result.plainCpuMs} ms vs ${result.secureCpuMs} ms (ratio ${result.cpuRatio})`);
    log(`client SecAgg compute ${result.clientMs} ms mean (p50 ${result.clientMsP50}, p95 ${result.clientMsP95}, max ${result.clientMsMax}); steps ${JSON.stringify(result.clientStepsMs)}`);
    log(`server SecAgg compute ${result.serverSecAggMs} ms; sum correct: ${result.isolatedSumCorrect}`);
    log(`bytes sent per client: secure round ${result.bytesPerClient} (SecAgg messages ${result.secaggBytesPerClient}), plain round ${result.plainBytesPerClient}`);
    log(`${result.cpus} cpus, 1-minute load average ${result.loadAverage1m}`);
  }
  return 0;
}
