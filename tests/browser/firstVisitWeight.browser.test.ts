/**
 * What a phone downloads on its first visit: the join link opened at 390x844, joining, consent, the engine worker loaded
 * (training on the shared kernels: tfjs and its WebAssembly binaries are fetched only if the worker falls back to it),
 * the service worker installed with its offline copy. Counted twice: by Chromium (the
 * encoded bytes of every request of the page, its worker and the service worker) and by the server (bytes written on
 * the browser's TCP connections, headers and socket.io included). Both must stay at or under 1 MB.
 */
import type { Socket } from 'node:net';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { DIST, ensureWebClientBuilt } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const BUDGET = 1_000_000;

describe('first visit weight', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ensureWebClientBuilt();
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness'), defaultTaskConfig('injury')], nodeAthletes: [] });
    fed.running.http.on('connection', (s: Socket) => sockets.push(s));
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('transfers at most 1 MB, compressed, without fetching tfjs\'s wasm binaries', async () => {
    const invite = await fed.invite();
    const context = browser.context;
    const page = context.pages()[0] ?? (await context.newPage());
    const requests: { url: string; bytes: number; encoding: string; fromServiceWorker: boolean }[] = [];
    const pending: Promise<void>[] = [];
    const record = (req: Request) => {
      pending.push(
        (async () => {
          const [sizes, response] = await Promise.all([req.sizes(), req.response()]);
          const headers = response ? await response.allHeaders() : {};
          requests.push({ url: req.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, encoding: headers['content-encoding'] ?? '', fromServiceWorker: req.serviceWorker() !== null });
        })(),
      );
    };
    context.on('requestfinished', record);
    const before = sockets.reduce((n, s) => n + s.bytesWritten, 0);

    await page.goto(invite.joinUrl);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await page.getByLabel(/Injury risk model/).check();
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Connected to the team server');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForTimeout(500);
    context.off('requestfinished', record);
    await Promise.all(pending);

    const browserBytes = requests.reduce((n, r) => n + r.bytes, 0);
    const serverBytes = sockets.reduce((n, s) => n + s.bytesWritten, 0) - before;
    const wasmFetched = requests.filter((r) => r.url.endsWith('.wasm') && r.bytes > 1000);
    const big = requests.filter((r) => r.bytes > 20_000).map((r) => `${r.url.replace(fed.url, '')} ${r.bytes} B ${r.encoding || 'identity'}${r.fromServiceWorker ? ' (service worker)' : ''}`);
    console.log(`first visit: ${requests.length} requests, ${browserBytes} B counted by Chromium, ${serverBytes} B written by the server\n  ${big.join('\n  ')}`);

    // The worker trains on the shared kernels: neither it nor the service worker's offline copy fetched the tfjs
    // fallback's scripts, and no tfjs wasm binary was fetched or kept offline.
    expect(requests.filter((r) => /\/assets\/(trainTf|tfjsFallback)-[\w-]+\.js$/.test(r.url)).map((r) => r.url)).toEqual([]);
    expect(wasmFetched.map((r) => r.url)).toEqual([]);
    const cachedWasm = await page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat().filter((u) => u.endsWith('.wasm')));
    expect(cachedWasm).toEqual([]);
    for (const r of requests.filter((x) => /\.(js|css|wasm)$/.test(x.url) && x.bytes > 2000)) expect(r.encoding, r.url).toMatch(/^(br|gzip)$/);
    expect(browserBytes).toBeGreaterThan(100_000);
    expect(browserBytes).toBeLessThanOrEqual(BUDGET);
    expect(serverBytes).toBeLessThanOrEqual(BUDGET);
  }, 120_000);
});
