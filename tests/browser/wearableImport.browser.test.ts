/**
 * Wearable imports in the athlete app at 390x844, parsed on the device: a Garmin FIT file and an Apple Health
 * export.xml, both written by the test following each vendor's documented format, each with its row-by-row report,
 * then merged into the encrypted log. axe-core runs on the screen with both reports.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDailyLogCsv } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { SAMPLE_FIT_SLEEP_HOURS, sampleAppleHealthXml, sampleFitFile } from '../../shared/test/helpers/wearableSamples.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

describe('wearable imports in the athlete app', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ensureWebClientBuilt();
    mkdirSync(join(ROOT, 'tests', 'artifacts'), { recursive: true });
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness')], nodeAthletes: [] });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  const cells = (selector: string) => page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));

  it('imports a Garmin FIT file: resting heart rate, HRV and sleep land in the log', async () => {
    const invite = await fed.invite();
    await page.goto(invite.joinUrl);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByLabel('Watch or ring file').setInputFiles({ name: 'wellness.fit', mimeType: 'application/octet-stream', buffer: Buffer.from(sampleFitFile()) });
    await expect.poll(() => page.locator('#wearable-summary').textContent()).toMatch(/^wellness\.fit: 2 days with measurements from .+ to .+, 0 records with problems\.$/);
    await page.getByRole('button', { name: 'Add 2 days to my log' }).click();
    await expect.poll(() => page.locator('#wearable-status').textContent()).toBe('Added measurements to 2 days (2 new, 0 updated). Your check-in answers were kept.');
    const recent = await cells('#recent-days');
    expect(recent.map((r) => r[2])).toContain(String(SAMPLE_FIT_SLEEP_HOURS)); // Sleep (h) column of 2 March
    expect(await page.locator('#recent-days').textContent()).toMatch(/2 days logged on this device/);
  });

  it('imports an Apple Health export.xml with its report: bad records by number, SDNN refused with a warning', async () => {
    await page.getByLabel('Watch or ring file').setInputFiles({ name: 'export.xml', mimeType: 'text/xml', buffer: Buffer.from(sampleAppleHealthXml()) });
    await expect.poll(() => page.locator('#wearable-summary').textContent()).toMatch(/^export\.xml: 2 days with measurements from .+ to .+, 2 records with problems, 1 warning\.$/);
    expect(await cells('#wearable-errors')).toEqual([
      ['9', 'resting_hr_bpm', 'out of range: must be from 20 to 150'],
      ['10', 'date', 'startDate is not "YYYY-MM-DD hh:mm:ss +zzzz"'],
    ]);
    expect(await cells('#wearable-warnings')).toEqual([['3', 'hrv_rmssd_ms', 'Apple Health records HRV as SDNN, not RMSSD: HRV records are not imported']]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ROOT, 'tests', 'artifacts', 'web-client-wearable-import.png'), fullPage: true });
    await page.getByRole('button', { name: 'Add 2 days to my log' }).click();
    await expect.poll(() => page.locator('#wearable-status').textContent()).toBe('Added measurements to 2 days (0 new, 2 updated). Your check-in answers were kept.');
    // 2 March: Apple's sleep (7.25 h) replaced Garmin's; Garmin's HRV stayed (Apple gave none).
    const recent = await cells('#recent-days');
    expect(recent.map((r) => r[2])).toContain('7.25');
    expect(errors).toEqual([]);
  });

  it('offers a CSV template of the daily-log format that the CSV import accepts', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a CSV template' }).click()]);
    expect(download.suggestedFilename()).toBe('huddle-daily-log-template.csv');
    const parsed = parseDailyLogCsv(readFileSync((await download.path())!, 'utf8'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toHaveLength(1);
    expect(parsed.rows[0]).toMatchObject({ srpeLoad: 420, readiness: 7, sleepHours: 7.5 });
  });
});
