import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { initialWeights, trainFast, trainMany, trainTf, wasmKernelsAvailable, type LocalTrainResult, type ModelSpec, type TrainJob } from '@huddle/shared/model';
import { Prng } from '@huddle/shared/random';

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

interface Options {
  clients: number;
  samples: number;
  batch: number;
  epochs: number;
  seconds: number;
  json: boolean;
}

interface Row {
  name: string;
  samplesPerSecond: number | null;
  note?: string;
}

/** K clients with ragged n (0.5x to 1.5x `samples`) and their own initial weights. */
function makeJobs(opts: Options): TrainJob[] {
  const rng = new Prng(7);
  return Array.from({ length: opts.clients }, (_, c) => {
    const n = Math.max(1, Math.round(opts.samples * (0.5 + rng.next())));
    const x = new Float32Array(n * NET.inputSize);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < NET.inputSize; k++) {
        const v = rng.normal();
        x[i * NET.inputSize + k] = v;
        s += k % 4 === 0 ? v : 0;
      }
      y[i] = rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
    }
    return { init: initialWeights(NET, c), data: { x, y, n }, config: { epochs: opts.epochs, batchSize: opts.batch, learningRate: 0.05, seed: c, proximalMu: 0 } };
  });
}

const samplesOf = (jobs: readonly TrainJob[]): number => jobs.reduce((s, j) => s + j.data.n * j.config.epochs, 0);

/** Runs `pass` (which trains some clients and returns how many samples it consumed) until the time budget is spent. */
async function measure(seconds: number, pass: (round: number) => Promise<number> | number): Promise<number> {
  await pass(-1);
  let samples = 0;
  let round = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) samples += await pass(round++);
  return samples / ((performance.now() - start) / 1000);
}

/** One client after another through a LocalTrainer-style call. */
function oneAtATime(jobs: readonly TrainJob[], train: (job: TrainJob) => Promise<LocalTrainResult> | LocalTrainResult) {
  return async (round: number): Promise<number> => {
    const job = jobs[Math.max(0, round) % jobs.length]!;
    await train(job);
    return job.data.n * job.config.epochs;
  };
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
      return { name: 'pytorch', samplesPerSecond: out.samplesPerSecond, note: `torch ${out.version}, ${out.threads} thread(s), ${python}` };
    }
    return { name: 'pytorch', samplesPerSecond: null, note: 'unavailable' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(opts: Options): Promise<Row[]> {
  const jobs = makeJobs(opts);
  const rows: Row[] = [];
  await tf.setBackend('cpu');
  rows.push({ name: 'tfjs cpu, one client at a time', samplesPerSecond: await measure(opts.seconds, oneAtATime(jobs, (j) => trainTf(NET, j.init, j.data, j.config))) });
  const wasmBackend = await useWasmBackend();
  rows.push(
    wasmBackend
      ? { name: 'tfjs wasm, one client at a time', samplesPerSecond: await measure(opts.seconds, oneAtATime(jobs, (j) => trainTf(NET, j.init, j.data, j.config))) }
      : { name: 'tfjs wasm, one client at a time', samplesPerSecond: null, note: 'backend unavailable' },
  );
  rows.push({ name: 'trainFast js kernels, one client at a time', samplesPerSecond: await measure(opts.seconds, oneAtATime(jobs, (j) => trainFast(NET, j.init, j.data, j.config, 'js'))) });
  const simd = wasmKernelsAvailable();
  rows.push({
    name: 'trainFast, one client at a time',
    samplesPerSecond: await measure(opts.seconds, oneAtATime(jobs, (j) => trainFast(NET, j.init, j.data, j.config))),
    note: simd ? 'wasm simd kernels' : 'js kernels (no wasm simd)',
  });
  const all = samplesOf(jobs);
  rows.push({
    name: `trainMany, ${jobs.length} clients per call`,
    samplesPerSecond: await measure(opts.seconds, () => {
      trainMany(NET, jobs);
      return all;
    }),
    note: simd ? 'wasm simd kernels' : 'js kernels (no wasm simd)',
  });
  rows.push(pytorch(jobs, opts));
  return rows;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench train')
    .description('Local-training throughput (samples/s) of a 24-64-32-1 net: tfjs, hand-written kernels, PyTorch')
    .option('--clients <k>', 'simulated clients', (v) => Number.parseInt(v, 10), 64)
    .option('--samples <n>', 'mean rows per client (ragged 0.5x-1.5x)', (v) => Number.parseInt(v, 10), 512)
    .option('--batch <b>', 'batch size', (v) => Number.parseInt(v, 10), 32)
    .option('--epochs <e>', 'local epochs', (v) => Number.parseInt(v, 10), 1)
    .option('--seconds <s>', 'time budget per row', Number.parseFloat, 3)
    .option('--json', 'print one JSON object', false)
    .exitOverride();
  try {
    program.parse(argv, { from: 'user' });
  } catch {
    return 2;
  }
  const opts = program.opts<Options>();
  const rows = await run(opts);
  const rate = (prefix: string): number | null => rows.find((r) => r.name.startsWith(prefix))?.samplesPerSecond ?? null;
  const bestTfjs = Math.max(rate('tfjs cpu') ?? 0, rate('tfjs wasm') ?? 0);
  const batched = rate('trainMany');
  const torch = rate('pytorch');
  const summary = {
    cpus: cpus().length,
    loadAverage1m: loadavg()[0],
    batchedVsBestTfjs: batched !== null && bestTfjs > 0 ? batched / bestTfjs : null,
    batchedVsPytorch: batched !== null && torch !== null ? batched / torch : null,
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ net: '24-64-32-1', clients: opts.clients, samplesPerClient: opts.samples, batchSize: opts.batch, epochs: opts.epochs, rows, ...summary })}\n`);
  } else {
    process.stdout.write(`24-64-32-1 net, batch ${opts.batch}, ${opts.clients} clients x ~${opts.samples} rows, ${opts.epochs} epoch(s)\n`);
    for (const r of rows) {
      const value = r.samplesPerSecond === null ? 'unavailable' : `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s`;
      process.stdout.write(`${r.name.padEnd(44)} ${value.padStart(20)}${r.note ? `  (${r.note})` : ''}\n`);
    }
    const x = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)}x`);
    process.stdout.write(`trainMany vs best tfjs: ${x(summary.batchedVsBestTfjs)}; vs pytorch: ${x(summary.batchedVsPytorch)}\n`);
    process.stdout.write(`${summary.cpus} cpus, 1-minute load average ${summary.loadAverage1m?.toFixed(2)}, this run included\n`);
  }
  return 0;
}
