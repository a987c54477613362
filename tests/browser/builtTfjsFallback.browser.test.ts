/**
 * The built app's tfjs fallback, as Vite bundled it: the `tfjsFallback` chunk that the engine worker imports only when the
 * shared kernels cannot run. Loaded from the coordinator under the app's Content-Security-Policy, it must find its
 * WebAssembly binary through the `?url` asset imports (not the cpu backend, never the threaded binary) and train the
 * default network to within 1e-4 of the shared kernels in Node.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { modelSpec, trainFast } from '@huddle/shared/model';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { makeJobs } from '../../simulations/src/bench/trainJobs.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { DIST, ensureWebClientBuilt } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

interface FallbackRun {
  backend: string;
  wasm: string | null;
  weights: number[];
}

describe('the built app\'s tfjs fallback', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;

  beforeAll(async () => {
    ensureWebClientBuilt();
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('injury')], nodeAthletes: [] });
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('loads tfjs\'s SIMD wasm binary from the bundle\'s assets under the app\'s CSP and trains like the kernels', async () => {
    const chunk = readdirSync(join(DIST, 'assets')).find((f) => /^tfjsFallback-[\w-]+\.js$/.test(f));
    expect(chunk, 'the build has a tfjsFallback chunk').toBeDefined();
    const net = modelSpec('injury', FEATURE_COUNT);
    const job = makeJobs(net, { clients: 1, samples: 64, batch: 32, epochs: 1 })[0]!;

    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const fetched: string[] = [];
    page.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const response = await page.goto(`${fed.url}/`);
    expect(response?.headers()['content-security-policy']).toContain("worker-src 'self'");

    // A string, not a function: vitest would rewrite a function's dynamic import() for Node.
    const args = { url: `/assets/${chunk}`, net, init: Array.from(job.init), x: Array.from(job.data.x), y: Array.from(job.data.y), n: job.data.n, config: job.config };
    const run = (await page.evaluate(`(async (a) => {
      const m = await import(a.url);
      const { backend, wasm } = await m.loadTfjs();
      const result = await m.tfjsFallbackTrainer.train(a.net, new Float32Array(a.init), { x: new Float32Array(a.x), y: new Float32Array(a.y), n: a.n }, a.config);
      return { backend, wasm, weights: Array.from(result.weights) };
    })(${JSON.stringify(args)})`)) as FallbackRun;

    expect(run.backend).toBe('tfjs wasm');
    expect(run.wasm).toMatch(/\/assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/);
    expect(fetched.filter((p) => p.endsWith('.wasm'))).toEqual([new URL(run.wasm!, fed.url).pathname]);
    expect(cspViolations).toEqual([]);
    const fast = trainFast(net, job.init, job.data, job.config);
    expect(run.weights).toHaveLength(fast.weights.length);
    const worst = run.weights.reduce((m, v, i) => Math.max(m, Math.abs(v - fast.weights[i]!)), 0);
    expect(worst).toBeLessThan(1e-4);
  });
});
