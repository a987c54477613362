/**
 * The simulator's HTML report opened offline from disk in Chromium: Chart.js, inlined in the one file, draws every
 * chart (y axes from zero, hover tooltips) without a network and without script errors.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../simulations/src/report/html.ts';
import { runSimulation } from '../../simulations/src/sim/runSimulation.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { ROOT } from './helpers/buildWebClient.ts';

describe('simulation report in Chromium, offline', () => {
  let browser: LaunchedChromium;
  let dir = '';
  let file = '';

  beforeAll(async () => {
    const results = await runSimulation({ dataset: 'synthetic', athletes: 12, days: 150, rounds: 3, clientsPerRound: 4, delta: 1e-5 });
    dir = mkdtempSync(join(tmpdir(), 'huddle-report-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderReport([{ label: 'injury', results }]));
    browser = await launchChromium({ viewport: { width: 1100, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with Chart.js from the file alone', async () => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await browser.context.setOffline(true);
    await page.goto(pathToFileURL(file).href);
    const charts = await page.evaluate(() => {
      const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }).Chart;
      return [...document.querySelectorAll('canvas')].map((c) => {
        const chart = Chart.getChart(c as HTMLCanvasElement);
        return { type: chart?.config.type, yMin: chart?.scales.y.min, datasets: chart?.data.datasets.length ?? 0 };
      });
    });
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(['line', 'bar']).toContain(c.type);
      expect(c.yMin).toBe(0);
      expect(c.datasets).toBeGreaterThan(0);
    }
    const lineIndex = charts.findIndex((c) => c.type === 'line');
    expect(lineIndex).toBeGreaterThanOrEqual(0);
    const canvas = page.locator('canvas').nth(lineIndex);
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const active = await page.evaluate(
      (i) => (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }).Chart.getChart(document.querySelectorAll('canvas')[i] as HTMLCanvasElement).tooltip.getActiveElements().length,
      lineIndex,
    );
    expect(active).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    mkdirSync(join(ROOT, 'tests', 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'tests', 'artifacts', 'report-charts.png'), fullPage: true });
    await browser.context.setOffline(false);
  });
});
