import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { parseOptions } from '../cli/args.ts';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { modelSpec, trainFast, trainMany, trainTf, wasmKernelsAvailable, type ModelSpec, type TrainJob } from '@huddle/shared/model';
import { trainInChromium } from './trainBrowser.ts';
import { makeJobs, measure, oneAtATime, samplesOf } from './trainJobs.ts';

/** The 24-64-32-1 network every row of the benchmark trains. */
const NET: ModelSpec = {
  task: 'injury',
  inputSize: 24,
  layers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'binaryCrossentropy',
  labelScale: 1,
};

/** The network family's default architecture (injury head), on the product's feature vector. */
const DEFAULT_NET = modelSpec('injury', FEATURE_COUNT);
const netName = (spec: ModelSpec): string => [spec.inputSize, ...spec.layers.map((l) => l.units)].join('-');

interface Options {
  clients: number;
  samples: number;
  batch: number;
  epochs: number;
  seconds: number;
  browser: boolean;
  json: boolean;
}

interface Row {
  name: string;
  /** The network trained, as layer widths (input first). */
  net: string;
  samplesPerSecond: number | null;
  /** Samples per second of CPU time used (Node: this process; browser: all of Chromium's processes). */
  samplesPerCpuSecond?: number | null;
  /** Browser rows: samples per second of CPU time of the worker's thread alone (what one idle core would give it). */
  samplesPerWorkerCpuSecond?: number | null;
  note?: string;
  loadAverage1m?: number;
}

async function useWasmBackend(): Promise<boolean> {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const pkg of [join(here, '../../package.json'), join(here, '../../../client-sdk/package.json')]) {
    try {
      const require = createRequire(pkg);
      const wasm = (await import(pathToFileURL(require.resolve('@tensorflow/tfjs-backend-wasm')).href)) as {
        setWasmPaths(prefix: string): void;
        setThreadsCount?(n: number): void;
      };
      wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
      wasm.setThreadsCount?.(1);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return true;
      }
    } catch {
      /* try the next package */
    }
  }
  return false;
}

const PYTORCH_SCRIPT = String.raw`
import json, sys, time
import torch
cfg = json.loads(sys.argv[1])
torch.manual_seed(0)
ns, batch, epochs, seconds = cfg["ns"], cfg["batch"], cfg["epochs"], cfg["seconds"]
data = [(torch.randn(n, 24), (torch.rand(n, 1) < 0.3).float()) for n in ns]
model = torch.nn.Sequential(torch.nn.Linear(24, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1), torch.nn.Sigmoid())
init = [p.detach().clone() for p in model.parameters()]
def client(x, y):
    with torch.no_grad():
        for p, p0 in zip(model.parameters(), init):
            p.copy_(p0)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    n = x.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            opt.zero_grad()
            p = model(x[idx]).clamp(1e-7, 1 - 1e-7)
            loss = torch.nn.functional.binary_cross_entropy(p, y[idx])
            loss.backward()
            opt.step()
    return n * epochs
client(*data[0])
samples, c, t0 = 0, 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    samples += client(*data[c % len(data)])
    c += 1
print(json.dumps({"samplesPerSecond": samples / (time.perf_counter() - t0), "threads": torch.get_num_threads(), "version": torch.__version__}))
`;

/** Same net, batch and plain SGD in PyTorch, if some python3 on this machine has torch. */
function pytorch(jobs: readonly TrainJob[], opts: Options): Row {
  const dir = mkdtempSync(join(tmpdir(), 'huddle-bench-'));
  try {
    const script = join(dir, 'train_bench.py');
    writeFileSync(script, PYTORCH_SCRIPT);
    const arg = JSON.stringify({ ns: jobs.map((j) => j.data.n), batch: opts.batch, epochs: opts.epochs, seconds: opts.seconds });
    for (const python of ['python3', '/usr/bin/python3']) {
      const run = spawnSync(python, [script, arg], { encoding: 'utf8', timeout: (opts.seconds + 120) * 1000 });
      if (run.status !== 0) continue;
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { samplesPerSecond: number; threads: number; version: string };
      return { name: 'pytorch', net: netName(NET), samplesPerSecond: out.samplesPerSecond, note: `torch ${out.version}, ${out.threads} thread(s), ${python}` };
    }
    return { name: 'pytorch', net: netName(NET), samplesPerSecond: null, note: 'unavailable' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Wall-clock and CPU-time throughput of one Node row (this process's CPU time, warm-up pass included). */
async function timed(seconds: number, pass: (round: number) => Promise<number> | number): Promise<Pick<Row, 'samplesPerSecond' | 'samplesPerCpuSecond'>> {
  const cpu = process.cpuUsage();
  const m = await measure(seconds, pass);
  const used = process.cpuUsage(cpu);
  return { samplesPerSecond: m.samplesPerSecond, samplesPerCpuSecond: m.samples / ((used.user + used.system) / 1e6) };
}

async function run(opts: Options): Promise<Row[]> {
  const jobs = makeJobs(NET, opts);
  const net = netName(NET);
  const rows: Row[] = [];
  // The 1-minute load average as each row finishes: the machine may be shared.
  const add = (...done: Row[]): void => {
    rows.push(...done.map((r) => ({ ...r, loadAverage1m: r.loadAverage1m ?? loadavg()[0]! })));
  };
  const simd = wasmKernelsAvailable();
  const kernelNote = simd ? 'wasm simd kernels' : 'js kernels (no wasm simd)';
  await tf.setBackend('cpu');
  add({ name: 'tfjs cpu, one client at a time', net, ...(await timed(opts.seconds, oneAtATime(jobs, (j) => trainTf(NET, j.init, j.data, j.config)))) });
  const wasmBackend = await useWasmBackend();
  add(
    wasmBackend
      ? { name: 'tfjs wasm, one client at a time', net, ...(await timed(opts.seconds, oneAtATime(jobs, (j) => trainTf(NET, j.init, j.data, j.config)))) }
      : { name: 'tfjs wasm, one client at a time', net, samplesPerSecond: null, note: 'backend unavailable' },
  );
  add({ name: 'trainFast js kernels, one client at a time', net, ...(await timed(opts.seconds, oneAtATime(jobs, (j) => trainFast(NET, j.init, j.data, j.config, 'js')))) });
  add({ name: 'trainFast, one client at a time', net, ...(await timed(opts.seconds, oneAtATime(jobs, (j) => trainFast(NET, j.init, j.data, j.config)))), note: kernelNote });
  const all = samplesOf(jobs);
  const many = () => {
    trainMany(NET, jobs);
    return all;
  };
  add({ name: `trainMany, ${jobs.length} clients per call`, net, ...(await timed(opts.seconds, many)), note: kernelNote });
  add(pytorch(jobs, opts));
  const defaultJobs = makeJobs(DEFAULT_NET, opts);
  const defaultNet = netName(DEFAULT_NET);
  add({ name: 'trainFast default network, one client at a time', net: defaultNet, ...(await timed(opts.seconds, oneAtATime(defaultJobs, (j) => trainFast(DEFAULT_NET, j.init, j.data, j.config)))), note: kernelNote });
  add({ name: 'tfjs default network, one client at a time', net: defaultNet, ...(await timed(opts.seconds, oneAtATime(defaultJobs, (j) => trainTf(DEFAULT_NET, j.init, j.data, j.config)))), note: `tfjs ${tf.getBackend()} backend` });
  if (opts.browser) add(...(await browserRows(opts)));
  return rows;
}

/** The device path: the same trainFast in a Web Worker of Chromium, default network (wasm SIMD, then JS kernels) and the 24-64-32-1 net. */
async function browserRows(opts: Options): Promise<Row[]> {
  const workload = { clients: opts.clients, samples: opts.samples, batch: opts.batch, epochs: opts.epochs, seconds: opts.seconds };
  const cases = [
    { name: 'chromium worker, trainFast default network', net: DEFAULT_NET, trainer: 'fast' as const, kernels: 'auto' as const },
    { name: 'chromium worker, trainFast js kernels, default network', net: DEFAULT_NET, trainer: 'fast' as const, kernels: 'js' as const },
    { name: 'chromium worker, trainFast', net: NET, trainer: 'fast' as const, kernels: 'auto' as const },
    { name: 'chromium worker, tfjs default network', net: DEFAULT_NET, trainer: 'tfjs' as const, kernels: 'auto' as const },
  ];
  const runs = await trainInChromium(cases.map((c) => ({ ...workload, net: c.net, trainer: c.trainer, kernels: c.kernels })));
  return cases.map((c, i) => {
    const run = runs[i]!;
    if (!run.ok) return { name: c.name, net: netName(c.net), samplesPerSecond: null, note: run.reason };
    const version = /Chrome\/([\d.]+)/.exec(run.reply.userAgent)?.[1] ?? 'unknown version';
    return {
      name: c.name,
      net: netName(c.net),
      samplesPerSecond: run.reply.samplesPerSecond,
      samplesPerCpuSecond: run.cpuSeconds ? run.reply.samples / run.cpuSeconds : null,
      samplesPerWorkerCpuSecond: run.workerCpuSeconds ? run.reply.samples / run.workerCpuSeconds : null,
      note: `${run.reply.engine}, one dedicated worker, Chromium ${version}`,
      loadAverage1m: run.loadAverage1m,
    };
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench train')
    .description('Local-training throughput (samples/s): tfjs, the shared kernels (Node and a Chromium Web Worker), PyTorch')
    .option('--clients <k>', 'simulated clients', (v) => Number.parseInt(v, 10), 64)
    .option('--samples <n>', 'mean rows per client (ragged 0.5x-1.5x)', (v) => Number.parseInt(v, 10), 512)
    .option('--batch <b>', 'batch size', (v) => Number.parseInt(v, 10), 32)
    .option('--epochs <e>', 'local epochs', (v) => Number.parseInt(v, 10), 1)
    .option('--seconds <s>', 'time budget per row', Number.parseFloat, 3)
    .option('--no-browser', 'skip the rows measured in a Chromium Web Worker')
    .option('--json', 'print one JSON object', false)
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const opts = program.opts<Options>();
  const rows = await run(opts);
  const rate = (prefix: string): number | null => rows.find((r) => r.name.startsWith(prefix))?.samplesPerSecond ?? null;
  const bestTfjs = Math.max(rate('tfjs cpu') ?? 0, rate('tfjs wasm') ?? 0);
  const batched = rate('trainMany');
  const browserDefault = rate('chromium worker, trainFast default network');
  const browserDefaultRow = rows.find((r) => r.name === 'chromium worker, trainFast default network');
  const browserDefaultCpu = browserDefaultRow?.samplesPerCpuSecond ?? null;
  const browserDefaultWorkerCpu = browserDefaultRow?.samplesPerWorkerCpuSecond ?? null;
  const torch = rate('pytorch');
  const summary = {
    cpus: cpus().length,
    loadAverage1m: loadavg()[0],
    batchedVsBestTfjs: batched !== null && bestTfjs > 0 ? batched / bestTfjs : null,
    batchedVsPytorch: batched !== null && torch !== null ? batched / torch : null,
    /** Issue 9's target for the device path: at least 500k samples/s for the default network in Chromium's worker. */
    browserDefaultNetworkSamplesPerSecond: browserDefault,
    browserDefaultNetworkSamplesPerCpuSecond: browserDefaultCpu,
    browserDefaultNetworkSamplesPerWorkerCpuSecond: browserDefaultWorkerCpu,
    browserTargetMet: browserDefault === null ? null : browserDefault >= 500_000,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ net: netName(NET), defaultNet: netName(DEFAULT_NET), clients: opts.clients, samplesPerClient: opts.samples, batchSize: opts.batch, epochs: opts.epochs, rows, ...summary })}\n`);
  } else {
    process.stdout.write(`${netName(NET)} net (and the default ${netName(DEFAULT_NET)} network where named), batch ${opts.batch}, ${opts.clients} clients x ~${opts.samples} rows, ${opts.epochs} epoch(s)\n`);
    for (const r of rows) {
      const value = r.samplesPerSecond === null ? 'unavailable' : `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s`;
      const perCpu = r.samplesPerCpuSecond ? `${Math.round(r.samplesPerCpuSecond).toLocaleString('en-US')}/cpu-s` : '';
      const perWorker = r.samplesPerWorkerCpuSecond ? `, ${Math.round(r.samplesPerWorkerCpuSecond).toLocaleString('en-US')}/worker-cpu-s` : '';
      process.stdout.write(`${r.name.padEnd(56)} ${r.net.padEnd(10)} ${value.padStart(20)} ${perCpu.padStart(16)}  load ${r.loadAverage1m?.toFixed(2)}${r.note ? `  (${r.note}${perWorker})` : perWorker}\n`);
    }
    const x = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)}x`);
    if (browserDefault !== null) process.stdout.write(`default network in Chromium's worker: ${Math.round(browserDefault).toLocaleString('en-US')} samples/s against the 500,000 target (${summary.browserTargetMet ? 'met' : 'not met'} at this load)${browserDefaultCpu ? `; ${Math.round(browserDefaultCpu).toLocaleString('en-US')} per CPU-second of all Chromium` : ''}${browserDefaultWorkerCpu ? `, ${Math.round(browserDefaultWorkerCpu).toLocaleString('en-US')} per CPU-second of the worker's thread` : ''}\n`);
    process.stdout.write(`trainMany vs best tfjs: ${x(summary.batchedVsBestTfjs)}; vs pytorch: ${x(summary.batchedVsPytorch)}\n`);
    process.stdout.write(`${summary.cpus} cpus, 1-minute load average ${summary.loadAverage1m?.toFixed(2)}, this run included\n`);
  }
  return 0;
}
