import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../browser/chromium.ts';
import type { BrowserTrainReply, BrowserTrainRequest } from './browserTrainLoop.ts';
import { descendantCpuSeconds, threadCpuSecondsBetween, threadTicks } from './cpuTime.ts';

const here = dirname(fileURLToPath(import.meta.url));
const WORKERS = { fast: join(here, 'browserTrainWorker.ts'), tfjs: join(here, 'browserTfjsTrainWorker.ts') } as const;

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench train</title><script>
let worker = null;
const ask = (message) => new Promise((resolve, reject) => {
  worker.onmessage = (ev) => resolve(ev.data);
  worker.onerror = (ev) => reject(new Error(ev.message || 'worker failed'));
  worker.postMessage(message);
});
window.prepare = (request) => {
  worker?.terminate();
  worker = new Worker(request.trainer === 'tfjs' ? '/tfjs-worker.js' : '/worker.js', { type: 'module' });
  return ask({ type: 'prepare', request });
};
window.run = () => ask({ type: 'run' });
</script>`;

interface BenchPage {
  prepare(request: BrowserTrainRequest): Promise<{ prepared: true } | { error: string }>;
  run(): Promise<BrowserTrainReply | { error: string }>;
}

/** A worker entry bundled for the browser by esbuild (the fast one without tfjs). */
async function bundle(entry: string): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

/** The directory of tfjs's wasm binaries. */
function tfjsWasmDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

function serve(files: Map<string, { type: string; body: string | Buffer }>): Promise<Server> {
  const server = createServer((req, res) => {
    const file = files.get(req.url ?? '');
    if (file) res.writeHead(200, { 'content-type': file.type }).end(file.body);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * `cpuSeconds`: CPU time of the whole browser (every process and thread) during the run; `workerCpuSeconds`: of the
 * dedicated worker's thread alone (Chromium's "DedicatedWorker thread"), where /proc has them.
 */
export type BrowserRun =
  | { ok: true; reply: BrowserTrainReply; cpuSeconds: number | null; workerCpuSeconds: number | null; loadAverage1m: number }
  | { ok: false; reason: string };

const WORKER_THREAD = 'DedicatedWorker';

/**
 * Trains each request in a fresh dedicated Web Worker of Debian's Chromium (headless, through playwright-core), on a
 * page served from loopback, one request after another. Never downloads a browser: without one, every run says so.
 */
export async function trainInChromium(requests: readonly BrowserTrainRequest[]): Promise<BrowserRun[]> {
  if (!CHROMIUM_PATH) return requests.map(() => ({ ok: false, reason: 'Chromium not found (install Debian\'s chromium or set HUDDLE_CHROMIUM)' }));
  const files = new Map<string, { type: string; body: string | Buffer }>([['/', { type: 'text/html', body: PAGE }]]);
  files.set('/worker.js', { type: 'text/javascript', body: await bundle(WORKERS.fast) });
  if (requests.some((r) => r.trainer === 'tfjs')) {
    files.set('/tfjs-worker.js', { type: 'text/javascript', body: await bundle(WORKERS.tfjs) });
    const dir = tfjsWasmDir();
    for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) files.set(`/tfjs-wasm/${basename(name)}`, { type: 'application/wasm', body: readFileSync(join(dir, name)) });
  }
  const server = await serve(files);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const runs: BrowserRun[] = [];
    for (const request of requests) {
      const prepared = await page.evaluate((r) => (window as unknown as BenchPage).prepare(r), request);
      if ('error' in prepared) {
        runs.push({ ok: false, reason: prepared.error });
        continue;
      }
      const cpuBefore = descendantCpuSeconds();
      const threadsBefore = threadTicks(WORKER_THREAD);
      const reply = await page.evaluate(() => (window as unknown as BenchPage).run());
      const threadsAfter = threadTicks(WORKER_THREAD);
      const cpuAfter = descendantCpuSeconds();
      const cpuSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
      const workerCpuSeconds = threadsBefore && threadsAfter && threadsAfter.size > 0 ? threadCpuSecondsBetween(threadsBefore, threadsAfter) : null;
      runs.push('error' in reply ? { ok: false, reason: reply.error } : { ok: true, reply, cpuSeconds, workerCpuSeconds, loadAverage1m: loadavg()[0]! });
    }
    return runs;
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
