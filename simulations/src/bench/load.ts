import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { Coordinator, createApp, FileStore, SocketIoServerTransport } from '@huddle/coordinator';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { stripDashDash } from '../cli/args.ts';
import { benchSpec } from './secaggModel.ts';
import type { LoadClientsReport } from './loadClients.ts';

/**
 * `pnpm bench load`: one coordinator (this process: Coordinator + express app + socket.io on 127.0.0.1) and N
 * lightweight socket.io clients in a separate process (loadClients.ts) complete one round of a ~D-parameter model.
 * Reports the round's wall time, this process's peak RSS (sampled every 20 ms) and the bytes per client, both as
 * protocol payload (sealed msgpack) and as TCP bytes on the coordinator's sockets (WebSocket and socket.io framing
 * included). Bounded: the clients' process and this one give up after --timeout seconds.
 */

const TASK = 'injury' as const;

interface Options {
  clients: number;
  params: number;
  timeout: number;
  json: boolean;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench load')
    .description('N socket.io clients (separate process, loopback) complete one round against one coordinator')
    .option('--clients <n>', 'clients', (v) => Number.parseInt(v, 10), 1000)
    .option('--params <d>', 'model parameters (approximate: F-32-16-1 injury network)', (v) => Number.parseInt(v, 10), 10_000)
    .option('--timeout <s>', 'give up after this many seconds', (v) => Number.parseInt(v, 10), 300)
    .option('--json', 'print one JSON object', false)
    .exitOverride();
  try {
    program.parse(stripDashDash(argv), { from: 'user' });
  } catch {
    return 2;
  }
  const opts = program.opts<Options>();
  if (!(opts.clients >= 1) || !(opts.params >= 1) || !(opts.timeout >= 1)) {
    process.stderr.write('--clients, --params and --timeout must be positive\n');
    return 2;
  }
  const log = (s: string) => void (opts.json ? process.stderr : process.stdout).write(`${s}\n`);
  const model = benchSpec(opts.params);
  const deadline = Date.now() + opts.timeout * 1000;

  let peakRss = process.memoryUsage().rss;
  const baselineRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

  const dir = mkdtempSync(join(tmpdir(), 'huddle-bench-load-'));
  const roundTimeoutMs = Math.max(100, opts.timeout * 1000);
  const config = defaultTaskConfig(TASK, {
    clientsPerRound: opts.clients,
    minClients: opts.clients,
    overSelection: 1,
    roundTimeoutMs,
    evaluateTimeoutMs: roundTimeoutMs,
    fit: { localEpochs: 1, batchSize: 32, learningRate: 0.1, proximalMu: 0, clipNorm: 5, seed: 1 },
  });
  // A 10k-parameter round moves ~40 kB per message; the cap leaves room for models far larger than that.
  const maxMessageBytes = Math.max(8 * 2 ** 20, model.parameterCount * 4 * 2);
  const coordinator = new Coordinator({ tasks: [config], store: new FileStore(dir), featureCount: model.featureCount, maxMessageBytes, selectionSeed: 1 });
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

  const here = dirname(fileURLToPath(import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'loadClients.ts'), '--url', url, '--clients', String(opts.clients), '--timeout-ms', String(opts.timeout * 1000)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const childExit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stderr: string[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c.toString()));
  const events: ((o: { event: string } & Record<string, unknown>) => void)[] = [];
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    try {
      const o = JSON.parse(line) as { event: string };
      events.forEach((f) => f(o));
    } catch {
      /* not ours */
    }
  });
  const waitEvent = <T>(name: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for the clients' "${name}"`)), Math.max(0, deadline - Date.now()));
      events.push((o) => {
        if (o.event === name) {
          clearTimeout(timer);
          resolve(o as T);
        }
      });
      void childExit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the load clients exited (${code}) before "${name}":\n${stderr.join('').slice(-2000)}`));
      });
    });
  const done = waitEvent<LoadClientsReport>('done');
  done.catch(() => undefined);

  try {
    const connectStart = performance.now();
    await waitEvent('ready');
    await coordinator.waitForClients(TASK, opts.clients, Math.max(0, deadline - Date.now()));
    const connectMs = performance.now() - connectStart;
    const rssBeforeRound = process.memoryUsage().rss;
    log(`${opts.clients} clients connected and welcomed in ${Math.round(connectMs)} ms; RSS ${mb(rssBeforeRound)} MB`);
    const wireBefore = new Map([...tcp].map((s) => [s, { read: s.bytesRead, written: s.bytesWritten }]));
    const peakBeforeRound = peakRss;
    peakRss = rssBeforeRound;
    const t0 = performance.now();
    const record = await coordinator.runRound(TASK);
    const roundMs = performance.now() - t0;
    let wireIn = 0;
    let wireOut = 0;
    for (const [s, b] of wireBefore) {
      wireIn += s.bytesRead - b.read;
      wireOut += s.bytesWritten - b.written;
    }
    const report = await done;
    const result = {
      clients: opts.clients,
      reported: record.reported.length,
      roundMs: Math.round(roundMs),
      peakRssMb: mb(Math.max(peakRss, peakBeforeRound)),
      bytesPerClient: report.bytesSentPerClient,
      status: record.status,
      params: model.parameterCount,
      peakRssDuringRoundMb: mb(peakRss),
      rssBaselineMb: mb(baselineRss),
      rssBeforeRoundMb: mb(rssBeforeRound),
      connectMs: Math.round(connectMs),
      bytesToClient: report.bytesReceivedPerClient,
      wireBytesPerClient: Math.round(wireIn / opts.clients),
      wireBytesToClient: Math.round(wireOut / opts.clients),
      roundEnds: report.roundEnds,
      clientErrors: report.errors,
      clientProcessPeakRssMb: report.peakRssMb,
      cpus: cpus().length,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      measured:
        'roundMs: Coordinator.runRound (fit requests out, N fixed updates in, FedAvg, evaluation by all N, checkpoint); peakRssMb: this (coordinator) process, sampled every 20 ms from start to round end; ' +
        'bytesPerClient: protocol bytes (sealed msgpack envelopes: fitResult + evaluateResult) one client sent in the round; wireBytes*: TCP bytes on the coordinator side per client in the round',
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      log(`round ${record.status}: ${result.reported} of ${result.clients} reported in ${result.roundMs} ms`);
      log(`coordinator peak RSS ${result.peakRssMb} MB (baseline ${result.rssBaselineMb} MB, before the round ${result.rssBeforeRoundMb} MB)`);
      log(`bytes per client: sent ${result.bytesPerClient} (wire ${result.wireBytesPerClient}), received ${result.bytesToClient} (wire ${result.wireBytesToClient})`);
      log(`clients' process peak RSS ${result.clientProcessPeakRssMb} MB; ${result.cpus} cpus, 1-minute load average ${result.loadAverage1m}`);
    }
    return record.status === 'completed' && result.reported === opts.clients ? 0 : 1;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([childExit, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await coordinator.close();
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  }
}
