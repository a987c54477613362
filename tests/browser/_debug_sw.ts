import { createServer } from 'node:http';
import express from 'express';
import { chromium } from 'playwright-core';
import { serveWebClient } from './helpers/webFederation.ts';
import { DIST } from './helpers/buildWebClient.ts';

const app = express();
serveWebClient(app, DIST);
const http = createServer(app);
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(http.address() as any).port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const ctx = await browser.newContext();
const page = await ctx.newPage();
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
ctx.on('serviceworker', (w) => console.log('sw', w.url()));
await page.goto(url + '/#/log');
await page.waitForTimeout(4000);
console.log(await page.evaluate(async () => {
  const regs = await navigator.serviceWorker.getRegistrations();
  return { regs: regs.map((r) => ({ scope: r.scope, active: r.active?.state, installing: r.installing?.state, waiting: r.waiting?.state })), caches: await caches.keys(), controller: !!navigator.serviceWorker.controller };
}));
await browser.close();
http.close();
