/**
 * Issue 9 item 4 in Chromium at 390x844: the forecast card says "not enough evidence yet" (beside the athlete's own
 * heuristic) until the coordinator publishes, with a model version, a federated evaluation whose paired interval beats
 * that heuristic; then it shows the forecast with its 95% interval. Synthetic athletes whose next-day readiness follows
 * their sleep quality, which changes every day, so that "tomorrow = today" is poor and the model clearly wins.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DAY_MS = 86_400_000;

/** Seeded uniform [0, 1) (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sleep quality drawn afresh each day; the next day's readiness is 2 x sleep quality - 1 (so persistence errs by ~3 points). */
function sleepDriven(rows: DailyLogRow[], seed: number): DailyLogRow[] {
  const r = rng(seed);
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : 1));
  let previousSleep = 3;
  return sorted.map((row) => {
    const sleepQuality = 1 + Math.floor(r() * 5);
    const out = { ...row, sleepQuality, readiness: Math.max(0, Math.min(10, 2 * previousSleep - 1)) };
    previousSleep = sleepQuality;
    return out;
  });
}

describe('validated quality published with each model version, in the forecast card', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  let browserRows: DailyLogRow[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebClientBuilt();
    expect(existsSync(join(DIST, 'index.html'))).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    const start = new Date(Date.now() - 120 * DAY_MS).toISOString().slice(0, 10);
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 7, days: 118, seed: 5, startDate: start })).values()].map((rows, i) => sleepDriven(rows, 100 + i));
    browserRows = athletes[6]!;
    const config = { clientsPerRound: 6, minClients: 5, overSelection: 1, roundTimeoutMs: 60_000, evaluateTimeoutMs: 30_000 };
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness', config)], nodeAthletes: athletes.slice(0, 6) });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  const openForecast = async () => {
    await page.getByRole('link', { name: 'Forecast' }).click();
    await page.locator('#forecast-refresh').click();
    await page.locator('#forecast-readiness[data-evidence]').waitFor({ timeout: 60_000 });
  };

  it('before any validated model: "not enough evidence yet", with the athlete\'s own heuristic', async () => {
    const invite = await fed.invite();
    await page.goto(invite.joinUrl);
    await page.getByLabel('Invite code').press('Enter');
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(formatDailyLogCsv(browserRows)) });
    await page.getByRole('button', { name: `Import ${browserRows.length} days` }).click();
    await expect.poll(() => page.locator('#import-status').textContent(), { timeout: 30_000 }).toMatch(/Imported/);
    await openForecast();
    const card = page.locator('#forecast-readiness');
    expect(await card.getAttribute('data-evidence')).toBe('none');
    expect(await card.locator('.no-evidence').textContent()).toBe('Not enough evidence yet');
    expect(await card.locator('.evidence-reason').textContent()).toMatch(/round 0\) has not yet been validated: no federated evaluation was published/);
    const latest = [...browserRows].reverse().find((r) => r.readiness !== null)!.readiness!;
    expect(await card.locator('.heuristic').textContent()).toBe(`Tomorrow like your latest day: ${latest.toFixed(1)} / 10`);
    expect(await page.locator('#standing').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'published-quality-1-no-evidence.png'), fullPage: true });
  }, 120_000);

  it('after evaluated rounds where the model clearly beats persistence: the forecast with its 95% interval and the paired comparison', async () => {
    const published: string[] = [];
    let last = null;
    for (let r = 0; r < 6; r++) {
      const record = await fed.coordinator.runRound('readiness');
      expect(record.status, record.reason ?? '').toBe('completed');
      const q = record.published?.quality;
      published.push(q ? `round ${record.round}: MAE ${q.model.value.toFixed(3)} vs persistence ${q.reference.value.toFixed(3)}, difference ${q.difference.value.toFixed(3)} [${q.difference.lo.toFixed(3)}, ${q.difference.hi.toFixed(3)}] ${q.verdict} (${q.athletes} athletes, ${q.days} days)` : `round ${record.round}: none`);
      last = record;
    }
    console.log(published.join('\n'));
    const q = last!.published!.quality!;
    expect(q.verdict).toBe('better');
    expect(q.athletes).toBeGreaterThanOrEqual(6);
    await openForecast();
    const card = page.locator('#forecast-readiness');
    await expect.poll(() => card.getAttribute('data-evidence'), { timeout: 60_000 }).toBe('validated');
    const value = Number(await card.locator('.big').getAttribute('data-value'));
    const interval = (await card.locator('.interval').textContent())!;
    const m = /Likely between ([\d.]+) \/ 10 and ([\d.]+) \/ 10 \(95% interval\)/.exec(interval);
    expect(m, interval).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(value + 0.05);
    expect(Number(m![2])).toBeGreaterThanOrEqual(value - 0.05);
    expect(Number(m![2]) - Number(m![1])).toBeCloseTo(Math.min(10, value + 1.96 * q.rmse!) - Math.max(0, value - 1.96 * q.rmse!), 0);
    // The mean forecast beside the median (the default readiness model learns both).
    expect(await card.locator('.expected').getAttribute('data-expected')).toMatch(/^\d+\.\d{4}$/);
    expect(await card.locator('.expected').textContent()).toMatch(/^That is the middle forecast; on average, days like this come out at [\d.]+ \/ 10\.$/);
    expect(await card.locator('.quality').textContent()).toMatch(new RegExp(`Validated quality: MAE ${q.model.value.toFixed(2)} .*Against persistence: -`));
    expect(await card.locator('.heuristic').textContent()).toMatch(/^Tomorrow like your latest day/);
    // Where the athlete stands, from the published standing histograms.
    expect(await page.locator('#standing').textContent()).toMatch(/Your readiness over your last 28 days is higher than about \d+% of the federation's athletes/);
    await page.screenshot({ path: join(ARTIFACTS, 'published-quality-2-validated.png'), fullPage: true });
    expect(problems).toEqual([]);
  }, 240_000);
});
