import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { CLUSTER_NODE_V8_FLAGS, Coordinator, createApp, FileStore, SocketIoServerTransport } from '@huddle/coordinator';
import { PostgresStore } from '../../../coordinator/src/store/postgresStore.ts';
import { PostgresSyncDb } from '../../../coordinator/src/store/sql/postgresSyncDb.ts';
import { startPostgres } from '../../../coordinator/test/helpers/postgresServer.ts';
import { startRedis } from '../../../coordinator/test/helpers/redisServer.ts';
import { parseOptions } from '../cli/args.ts';
import { bundledEntry, spawnJsonChild, type ChildEvent, type JsonChild } from './jsonChild.ts';
import type { LoadClientsReport } from './loadClients.ts';
import { loadClientId, loadClientPublicKey } from './loadIdentity.ts';
import { LOAD_MIN_SHARE, LOAD_TASK, loadTaskConfig, mb } from './loadTask.ts';
import { mergePhases, type Phases } from './phaseLog.ts';
import type { MemoryMb } from './memoryLog.ts';
import { benchSpec } from './benchSpec.ts';

/**
 * `pnpm bench load`: N lightweight socket.io clients in separate processes (loadClients.ts) complete one round of a
 * ~D-parameter network over loopback.
 * - Without --nodes: one embedded coordinator (this process: Coordinator + express app + socket.io, file store).
 * - With --nodes K: K cluster nodes, each its own process (loadNode.ts: startClusterNode on a real Redis and
 *   PostgreSQL that this bench starts on loopback), and one client process per node holding that node's share of
 *   the clients. The leader runs the round; every node reports its own peak RSS. By default the nodes run enrolled
 *   (as deployed): the bench seeds PostgreSQL with one enrollment per client before the nodes start, and every
 *   hello and message is signed and verified; `--security open` skips identities.
 * Reports the round's wall time, peak RSS (sampled every 20 ms) and the protocol bytes each client sent. Bounded:
 * every process gives up after --timeout seconds.
 */

interface Options {
  clients: number;
  roundTimeout: number;
  params: number;
  nodes?: number;
  security?: 'enrolled' | 'open';
  timeout: number;
  semiSpace: number;
  json: boolean;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench load')
    .description('N socket.io clients (separate processes, loopback) complete one round against one coordinator, or against K cluster nodes on Redis and PostgreSQL')
    .option('--clients <n>', 'clients', (v) => Number.parseInt(v, 10), 1000)
    .option('--params <d>', 'model parameters (approximate: F-32-16-1 injury network)', (v) => Number.parseInt(v, 10), 10_000)
    .option('--nodes <k>', 'cluster nodes, each its own process, on a Redis and a PostgreSQL started on loopback (default: one embedded coordinator)', (v) => Number.parseInt(v, 10))
    .option('--security <mode>', 'with --nodes: enrolled (default: seeded enrollments, signed hellos and messages, per-address connection caps) or open', (v) => v)
    .option('--round-timeout <s>', 'the round closes at this deadline with at least 95% of the clients reported (at once when all did); default 60, or 12 ms per client above 5,000', (v) => Number.parseInt(v, 10))
    .option('--timeout <s>', 'give up after this many seconds; default 300, or 120 ms per client above 2,500 (1,200 s at 10,000)', (v) => Number.parseInt(v, 10))
    .option('--semi-space <mb>', "V8's largest young-generation semi-space in the node and client processes, MB (0: the defaults: 8 in cluster nodes, as the coordinator CLI starts them; V8's 16 elsewhere)", (v) => Number.parseInt(v, 10), 0)
    .option('--json', 'print one JSON object', false)
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const given = program.opts<Omit<Options, 'timeout' | 'roundTimeout'> & Partial<Pick<Options, 'timeout' | 'roundTimeout'>>>();
  // Joining and the round grow with the clients: the defaults cover the 10,000 on a 2-core machine.
  const opts: Options = { ...given, timeout: given.timeout ?? Math.max(300, Math.ceil(given.clients * 0.12)), roundTimeout: given.roundTimeout ?? Math.max(60, Math.ceil(given.clients * 0.012)) };
  if (!(opts.clients >= 1) || !(opts.params >= 1) || !(opts.timeout >= 1) || !(opts.roundTimeout >= 1) || !(opts.semiSpace >= 0) || (opts.nodes !== undefined && !(opts.nodes >= 1 && opts.nodes <= opts.clients))) {
    process.stderr.write('--clients, --params and --timeout must be positive, --semi-space not negative; --nodes between 1 and --clients\n');
    return 2;
  }
  if (opts.security !== undefined && opts.security !== 'enrolled' && opts.security !== 'open') {
    process.stderr.write(`--security is enrolled or open, not ${String(opts.security)}\n`);
    return 2;
  }
  if (opts.security === 'enrolled' && opts.nodes === undefined) {
    process.stderr.write('the embedded coordinator of this bench runs open; --security enrolled needs --nodes\n');
    return 2;
  }
  const log = (s: string) => void (opts.json ? process.stderr : process.stdout).write(`${s}\n`);
  try {
    const result = opts.nodes === undefined ? await runEmbedded(opts, log) : await runCluster(opts, opts.nodes, log);
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`round ${result.status}: ${result.reported} of ${result.clients} reported in ${result.roundMs} ms`);
      log(`peak RSS per coordinator process ${result.peakRssMbPerNode} MB; ${result.bytesPerClient} protocol bytes sent per client`);
      log(`clients' processes peak RSS ${result.clientProcessPeakRssMb} MB; ${result.cpus} cpus, 1-minute load average ${result.loadAverage1m}`);
    }
    return result.status === 'completed' && result.reported >= Math.ceil(opts.clients * LOAD_MIN_SHARE) ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

interface LoadResult {
  nodes: number;
  clients: number;
  reported: number;
  roundMs: number;
  peakRssMbPerNode: number;
  bytesPerClient: number;
  status: string;
  clientProcessPeakRssMb: number[];
  cpus: number;
  loadAverage1m: number;
  [more: string]: unknown;
}

/**
 * Every 40 kB message a process handles allocates several 40 kB buffers, so V8's default young generation (16 MB
 * semi-spaces) is scavenged many times a second during a round; 32 MB cut the round's CPU by 8-20% at 10,000 clients
 * for about 35 MB more RSS per process, which puts the followers over 250 MB, so the default stays V8's
 * (docs/round-time.md and docs/load-bench.md, "Session 7").
 */
const v8FlagsOf = (opts: Pick<Options, 'semiSpace'>): string[] => (opts.semiSpace > 0 ? [`--max-semi-space-size=${opts.semiSpace}`] : []);

/** A cluster node runs with the flags the coordinator CLI gives it (coordinator/src/ops/nodeFlags.ts), unless --semi-space says otherwise. */
const nodeV8FlagsOf = (opts: Pick<Options, 'semiSpace'>): string[] => (opts.semiSpace > 0 ? v8FlagsOf(opts) : [...CLUSTER_NODE_V8_FLAGS]);

const machine = () => ({ cpus: cpus().length, loadAverage1m: Math.round(loadavg()[0]! * 100) / 100 });

/**
 * One client process per URL, holding its share of the clients (client ids are unique across processes). A URL of
 * '-' starts the process without one: it loads its modules and waits for {"url"} on stdin (see connectClients).
 */
async function spawnClients(urls: string[], clients: number, timeoutMs: number, v8Flags: string[], security: 'enrolled' | 'open' = 'open'): Promise<{ procs: JsonChild[]; shares: number[] }> {
  const script = await bundledEntry('load-clients');
  const shares = urls.map((_, k) => Math.floor(clients / urls.length) + (k < clients % urls.length ? 1 : 0));
  let offset = 0;
  const procs = urls.map((url, k) => {
    const args = ['--url', url, '--clients', String(shares[k]), '--timeout-ms', String(timeoutMs), '--id-offset', String(offset), '--security', security];
    offset += shares[k]!;
    return spawnJsonChild(`client process ${k + 1}`, script, args, v8Flags);
  });
  return { procs, shares };
}

/** The client processes' reports, waiting at most 30 s past the round for each (a process whose client rejoined mid-round waits for a roundEnd it will not get). */
async function clientReports(done: Promise<LoadClientsReport>[]): Promise<LoadClientsReport[]> {
  const grace = (p: Promise<LoadClientsReport>) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), 30_000).unref())]).catch(() => null);
  return (await Promise.all(done.map(grace))).filter((r): r is LoadClientsReport => r !== null);
}

/** Weighted mean of the client processes' per-client figures. */
const perClient = (reports: LoadClientsReport[], f: (r: LoadClientsReport) => number) =>
  Math.round(reports.reduce((s, r) => s + f(r) * r.clients, 0) / Math.max(1, reports.reduce((s, r) => s + r.clients, 0)));

async function runEmbedded(opts: Options, log: (s: string) => void): Promise<LoadResult> {
  const model = benchSpec(opts.params);
  const deadline = Date.now() + opts.timeout * 1000;
  let peakRss = process.memoryUsage.rss();
  const baselineRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const dir = mkdtempSync(join(tmpdir(), 'huddle-bench-load-'));
  // A 10k-parameter round moves ~40 kB per message; the cap leaves room for models far larger than that.
  const maxMessageBytes = Math.max(8 * 2 ** 20, model.parameterCount * 4 * 2);
  const coordinator = new Coordinator({ tasks: [loadTaskConfig(opts.clients, opts.roundTimeout * 1000)], store: new FileStore(dir), featureCount: model.featureCount, maxMessageBytes, selectionSeed: 1 });
  const http = createServer(createApp({ coordinator }));
  const transport = new SocketIoServerTransport(http, { maxMessageBytes });
  await coordinator.attach(transport);
  const tcp = new Set<Socket>();
  http.on('connection', (s: Socket) => {
    tcp.add(s);
    s.once('close', () => tcp.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  log(`coordinator on ${url}: model ${[model.featureCount, ...model.spec.layers.map((l) => l.units)].join('-')} (${model.parameterCount} parameters), ${opts.clients} clients`);
  const { procs } = await spawnClients([url], opts.clients, opts.timeout * 1000, v8FlagsOf(opts));
  const done = procs.map((p) => p.waitEvent<LoadClientsReport & ChildEvent>('done', deadline));
  done.forEach((d) => d.catch(() => undefined));
  try {
    const connectStart = performance.now();
    await Promise.all(procs.map((p) => p.waitEvent('ready', deadline)));
    await coordinator.waitForClients(LOAD_TASK, opts.clients, Math.max(0, deadline - Date.now()));
    const connectMs = performance.now() - connectStart;
    const rssBeforeRound = process.memoryUsage.rss();
    log(`${opts.clients} clients connected and welcomed in ${Math.round(connectMs)} ms; RSS ${mb(rssBeforeRound)} MB`);
    const wireBefore = new Map([...tcp].map((s) => [s, { read: s.bytesRead, written: s.bytesWritten }]));
    const peakBeforeRound = peakRss;
    peakRss = rssBeforeRound;
    const t0 = performance.now();
    const record = await coordinator.runRound(LOAD_TASK);
    const roundMs = performance.now() - t0;
    let wireIn = 0;
    let wireOut = 0;
    for (const [s, b] of wireBefore) {
      wireIn += s.bytesRead - b.read;
      wireOut += s.bytesWritten - b.written;
    }
    const reports = await clientReports(done);
    return {
      nodes: 1,
      clients: opts.clients,
      reported: record.reported.length,
      roundMs: Math.round(roundMs),
      peakRssMbPerNode: mb(Math.max(peakRss, peakBeforeRound)),
      bytesPerClient: perClient(reports, (r) => r.bytesSentPerClient),
      status: record.status,
      coordinator: 'embedded (one process, file store, no Redis)',
      params: model.parameterCount,
      peakRssDuringRoundMb: mb(peakRss),
      rssBaselineMb: mb(baselineRss),
      rssBeforeRoundMb: mb(rssBeforeRound),
      connectMs: Math.round(connectMs),
      bytesToClient: perClient(reports, (r) => r.bytesReceivedPerClient),
      wireBytesPerClient: Math.round(wireIn / opts.clients),
      wireBytesToClient: Math.round(wireOut / opts.clients),
      roundEnds: reports.reduce((s, r) => s + r.roundEnds, 0),
      clientErrors: reports.reduce((s, r) => s + r.errors, 0),
      clientReconnects: reports.reduce((s, r) => s + r.closes, 0),
      clientProcessPeakRssMb: reports.map((r) => r.peakRssMb),
      ...machine(),
      measured:
        'roundMs: Coordinator.runRound (fit requests out, N fixed updates in, FedAvg, evaluation by all N, checkpoint); peakRssMbPerNode: the coordinator process, sampled every 20 ms from start to round end; ' +
        'bytesPerClient: protocol bytes (sealed msgpack envelopes: fitResult + evaluateResult) one client sent in the round; wireBytes*: TCP bytes on the coordinator side per client in the round',
    };
  } finally {
    clearInterval(sampler);
    await Promise.all(procs.map((p) => p.stop()));
    await coordinator.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Enrolls the load clients (loadIdentity.ts) by writing their enrollments into the cluster's PostgreSQL before any
 * node starts: a seeded store, not the invite API (redeeming 10,000 invites is an enrollment benchmark of its own,
 * and the API rate-limits it per address by design). The nodes then load them as they would any enrollments.
 */
function seedEnrollments(postgresUrl: string, clients: number): void {
  // Migrates the schema, and checks the row format below against the store's own reading of it.
  PostgresStore.connect(postgresUrl).close();
  const db = new PostgresSyncDb(postgresUrl);
  try {
    // One statement per 2,000 rows: a store insert per row is one round trip through the sync worker each.
    const insert = db.prepare<[string, number, string[], string[]], never>(
      "INSERT INTO enrollments (client_id, public_key, tasks, invite_id, enrolled_at, revoked_at) SELECT id, decode(k, 'hex'), ?, NULL, ?, NULL FROM unnest(?::text[], ?::text[]) AS t(id, k)",
    );
    const now = Date.now();
    db.transaction(() => {
      for (let from = 0; from < clients; from += 2_000) {
        const ids: string[] = [];
        const keys: string[] = [];
        for (let i = from; i < Math.min(clients, from + 2_000); i++) {
          ids.push(loadClientId(i));
          keys.push(Buffer.from(loadClientPublicKey(i)).toString('hex'));
        }
        insert.run(JSON.stringify([LOAD_TASK]), now, ids, keys);
      }
    });
  } finally {
    db.close();
  }
  const store = PostgresStore.connect(postgresUrl);
  try {
    const last = store.enrollments.byClientId(loadClientId(clients - 1));
    if (!last || Buffer.compare(Buffer.from(last.publicKey), Buffer.from(loadClientPublicKey(clients - 1))) !== 0 || last.tasks.join() !== LOAD_TASK) throw new Error('the seeded enrollments do not read back as the store writes them');
  } finally {
    store.close();
  }
}

async function runCluster(opts: Options, count: number, log: (s: string) => void): Promise<LoadResult> {
  const model = benchSpec(opts.params);
  const deadline = Date.now() + opts.timeout * 1000;
  const timeoutMs = opts.timeout * 1000;
  // Redis drops a subscriber whose unread pub/sub output passes 8 MB for 60 s (32 MB at once): a node starved of CPU
  // while the leader sends 40 kB to each of its clients passes that, and its sockets have to join again. Deployments
  // raise the limit the same way.
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis(['--client-output-buffer-limit', 'pubsub 512mb 256mb 60'])]);
  const nodes: JsonChild[] = [];
  let clientProcs: JsonChild[] = [];
  const security = opts.security ?? 'enrolled';
  try {
    const postgresUrl = await postgres.createDatabase();
    const enrollStart = performance.now();
    if (security === 'enrolled') seedEnrollments(postgresUrl, opts.clients);
    const enrollMs = Math.round(performance.now() - enrollStart);
    if (security === 'enrolled') log(`${opts.clients} load clients enrolled in PostgreSQL in ${enrollMs} ms (seeded before the nodes start)`);
    const common = ['--postgres', postgresUrl, '--redis', redis.url, '--cluster', 'bench', '--clients', String(opts.clients), '--params', String(opts.params), '--timeout-ms', String(timeoutMs), '--round-timeout-ms', String(opts.roundTimeout * 1000), '--security', security];
    // The client processes load their modules while the nodes start (tens of seconds each on a loaded machine).
    const spawned = await spawnClients(new Array<string>(count).fill('-'), opts.clients, timeoutMs, v8FlagsOf(opts), security);
    const nodeScript = await bundledEntry('load-node');
    clientProcs = spawned.procs;
    const loaded = Promise.all(clientProcs.map((p) => p.waitEvent('loaded', deadline)));
    // node-1 first, so it takes the lease and the others, started together after it, find it held.
    const urls: string[] = new Array<string>(count).fill('');
    let leaderIndex = -1;
    const startNode = async (k: number) => {
      const node = spawnJsonChild(`node-${k + 1}`, nodeScript, ['--node-id', `node-${k + 1}`, ...common], nodeV8FlagsOf(opts));
      nodes[k] = node;
      const leading = node.waitEvent('leading', deadline);
      leading.then(() => (leaderIndex = leaderIndex < 0 ? k : leaderIndex)).catch(() => undefined);
      urls[k] = String((await node.waitEvent<ChildEvent & { url: string }>('listening', deadline)).url);
    };
    const nodesStart = performance.now();
    await startNode(0);
    await Promise.all(Array.from({ length: count - 1 }, (_, k) => startNode(k + 1)));
    const nodesStartMs = Math.round(performance.now() - nodesStart);
    while (leaderIndex < 0) {
      if (Date.now() > deadline) throw new Error('no node took the leader lease');
      await new Promise((r) => setTimeout(r, 50));
    }
    log(`${count} nodes on ${urls.join(', ')} (leader node-${leaderIndex + 1}): model ${[model.featureCount, ...model.spec.layers.map((l) => l.units)].join('-')} (${model.parameterCount} parameters), ${opts.clients} clients`);
    await loaded;
    const connectStart = performance.now();
    clientProcs.forEach((p, k) => p.send({ url: urls[k] }));
    const done = clientProcs.map((p) => p.waitEvent<LoadClientsReport & ChildEvent>('done', deadline));
    done.forEach((d) => d.catch(() => undefined));
    const ready = await Promise.all(clientProcs.map((p) => p.waitEvent<ChildEvent & { joinMs: number }>('ready', deadline))).catch((err: unknown) => {
      const tails = [...clientProcs.map((p, k) => `client process ${k + 1}: ${p.stderrTail().slice(-600)}`), ...nodes.map((n, k) => `node-${k + 1}: ${n.stderrTail().slice(-600)}`)];
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tails.join('\n')}`);
    });
    const connectMs = Math.round(performance.now() - connectStart);
    // joinMs: the slowest client process from its first connection attempt to its last welcome (its start-up excluded).
    const joinMs = Math.max(...ready.map((r) => r.joinMs));
    log(`${opts.clients} clients welcomed in ${connectMs} ms, ${joinMs} ms of it joining (${Math.round(opts.clients / (joinMs / 1000))} clients/s; ${spawned.shares.join(' + ')} per node)`);
    const leader = nodes[leaderIndex]!;
    const roundEvent = leader.waitEvent<ChildEvent & { status?: string; reported?: number; roundMs?: number; startedAt?: number; reason?: string | null; error?: string }>('round', deadline);
    nodes.forEach((n) => n !== leader && n.send({ cmd: 'joined' }));
    for (const n of nodes) n.send({ cmd: 'mark' });
    leader.send({ cmd: 'round' });
    const nodeLogs = () => nodes.map((n, k) => `node-${k + 1}: ${n.stderrTail()}`).join('\n');
    const round = await roundEvent.catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${nodeLogs()}`);
    });
    if (round.error) throw new Error(`the leader could not run the round: ${round.error}\n${nodeLogs()}`);
    const reports = await clientReports(done);
    const nodeReports = await Promise.all(
      nodes.map((n) => {
        const r = n.waitEvent<ChildEvent & { peakRssMb: number; localSockets: number; rssBeforeRoundMb: number | null; phases: Phases; memoryMb: Record<string, MemoryMb>; roundCpuMs: number | null; deadFrameCollections: number }>('report', Date.now() + 10_000);
        n.send({ cmd: 'report' });
        return r;
      }),
    );
    const peaks = nodeReports.map((r) => r.peakRssMb);
    return {
      nodes: count,
      clients: opts.clients,
      reported: round.reported ?? 0,
      roundMs: round.roundMs ?? 0,
      peakRssMbPerNode: Math.max(...peaks),
      bytesPerClient: perClient(reports, (r) => r.bytesSentPerClient),
      status: round.status ?? 'unknown',
      reason: round.reason ?? null,
      coordinator: `${count} cluster node processes on Redis and PostgreSQL (loopback); node-${leaderIndex + 1} led`,
      security,
      enrollMs: security === 'enrolled' ? enrollMs : null,
      nodesStartMs,
      joinMs,
      joinedPerSecond: Math.round(opts.clients / (joinMs / 1000)),
      params: model.parameterCount,
      peakRssMbByNode: peaks,
      peakAtMsByNode: nodeReports.map((r) => (round.startedAt && r.memoryMb.peak ? r.memoryMb.peak.at - round.startedAt : null)),
      socketsByNode: nodeReports.map((r) => r.localSockets),
      connectMs,
      bytesToClient: perClient(reports, (r) => r.bytesReceivedPerClient),
      roundEnds: reports.reduce((s, r) => s + r.roundEnds, 0),
      clientErrors: reports.reduce((s, r) => s + r.errors, 0),
      clientReconnects: reports.reduce((s, r) => s + r.closes, 0),
      clientRestarts: reports.reduce((s, r) => s + r.restarts, 0),
      clientErrorCodes: reports.map((r) => r.errorCodes),
      clientProcessPeakRssMb: reports.map((r) => r.peakRssMb),
      rssBeforeRoundMbByNode: nodeReports.map((r) => r.rssBeforeRoundMb),
      memoryMbByNode: nodeReports.map((r) => r.memoryMb),
      roundCpuMsByNode: nodeReports.map((r) => r.roundCpuMs),
      deadFrameCollectionsByNode: nodeReports.map((r) => r.deadFrameCollections),
      nodeV8Flags: nodeV8FlagsOf(opts),
      roundCpuMsByClientProcess: reports.map((r) => r.roundCpuMs),
      clientProcessesReporting: `${reports.length} of ${clientProcs.length}`,
      roundStartedAt: round.startedAt ?? null,
      phasesMs: mergePhases(round.startedAt ?? 0, [...nodeReports.map((r, k) => ({ from: k === leaderIndex ? 'leader' : 'node', phases: r.phases })), ...reports.map((r) => ({ from: 'clients', phases: r.phases }))]),
      ...machine(),
      measured:
        "roundMs: the leader's Coordinator.runRound (fit requests out, N fixed updates in, FedAvg, evaluation by all N, checkpoint in PostgreSQL), every frame relayed over Redis; " +
        'peakRssMbPerNode: the largest of the node processes\' peak RSS, each sampled every 20 ms from its start to the end of the round (peakRssMbByNode: each; peakAtMsByNode: when each peaked, ms from the start of the leader\'s runRound; memoryMbByNode: each node\'s process.memoryUsage() once listening, once every client joined, at its peak RSS and after the round, each with its time `at`); bytesPerClient: protocol bytes one client sent in the round; ' +
        'roundCpuMs*: CPU time (user + system) of each process from just before the round to its report; ' +
        'deadFrameCollectionsByNode: major collections each node started to free dead inbound frames (coordinator/src/transport/deadFrames.ts); ' +
        "phasesMs: each step's [first, last] time in ms from the start of the leader's runRound, over the leader's node, the other nodes and the client processes",
    };
  } finally {
    await Promise.all(clientProcs.map((p) => p.stop()));
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all([postgres.stop(), redis.stop()]);
  }
}
