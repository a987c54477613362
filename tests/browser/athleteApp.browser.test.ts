/**
 * The athlete app's newer parts in Chromium at 390x844 against a real coordinator serving the built app: the Trends
 * screen (fitness, fatigue, form, acute:chronic) over an imported log, the detailed injury check-in, check-in reminders
 * (refused without notification permission; with it, scheduled and shown through the service worker), and Fitbit
 * (Google Takeout) and Oura imports with their row-by-row reports. axe-core on every screen touched; screenshots saved.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateFromDayNumber, dayNumber, formatDailyLogCsv, localCalendarDate, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { loadTrends } from '@huddle/shared/twin';
import { sampleFitbitHrvCsv, sampleFitbitRestingHeartRate, sampleFitbitSleep, sampleOuraCsv } from '../../shared/test/helpers/fitbitOuraSamples.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

/** 63 days ending two days ago: a steady block, then a spike week at the end (acute:chronic above 1.3). */
function logRows(): DailyLogRow[] {
  const end = dayNumber(localCalendarDate()) - 2;
  return Array.from({ length: 63 }, (_, i) => {
    const load = i >= 56 ? 750 : i % 7 === 6 ? 0 : 350 + 40 * (i % 3);
    return { athleteId: 'me', date: dateFromDayNumber(end - 62 + i), srpeLoad: load, readiness: 7, fatigue: 3, mood: 4, sleepQuality: 4, soreness: 3, stress: 4, sleepHours: 7.5, injury: 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null };
  });
}

describe('athlete app: trends, injury details, reminders, Fitbit and Oura imports', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  const errors: string[] = [];
  const rows = logRows();
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `web-client-${name}.png`), fullPage: true });
  const cells = (selector: string) => page.locator(`${selector} tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((td) => td.textContent)));

  beforeAll(async () => {
    ensureWebClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness')], nodeAthletes: [] });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
    // A fake clock that ticks with real time until the test moves it: the reminder's timer can then be reached at once.
    await page.clock.install();
    const invite = await fed.invite();
    await page.goto(invite.joinUrl);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(formatDailyLogCsv(rows)) });
    await page.getByRole('button', { name: `Import ${rows.length} days` }).click();
    await page.locator('#import-status', { hasText: /^Imported 63 days/ }).waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('draws fitness, fatigue, form and acute:chronic over the log, with the same numbers in its data table', async () => {
    await page.getByRole('link', { name: 'Trends' }).click();
    await page.getByRole('heading', { name: 'Trends' }).waitFor();
    await page.locator('#chart-acwr').waitFor();
    expect(await page.locator('figure.chart canvas').count()).toBe(3);
    const expected = loadTrends(rows);
    await page.getByText(/The numbers, day by day/).click();
    const table = await cells('#trends-table');
    expect(table).toHaveLength(56);
    // Newest first: load, fitness, fatigue, form, acute:chronic of the last logged day, as the shared twin maths computes them.
    expect(table[0]!.slice(1)).toEqual(['750', expected.fitness.at(-1)!.toFixed(0), expected.fatigue.at(-1)!.toFixed(0), expected.form.at(-1)!.toFixed(0), expected.acwr.at(-1)!.toFixed(2)]);
    expect(expected.acwr.at(-1)!).toBeGreaterThan(1.3);
    expect(await page.locator('#chart-acwr').getAttribute('aria-label')).toContain(`Today ${expected.acwr.at(-1)!.toFixed(2)}`);
    expect(await axeViolations(page)).toEqual([]);
    await shot('trends');
  });

  it('saves a detailed injury report from the full check-in and shows it in the log', async () => {
    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByText('Full check-in: sessions, other days, heart rate, injury').click();
    expect(await page.locator('#injury-details').isHidden()).toBe(true);
    await page.getByLabel('I picked up a new injury today').check();
    await page.getByLabel('Where is it?').selectOption('thigh_back');
    await page.getByLabel('Moderate: I train less').check();
    await page.getByLabel('I am still injured').check();
    await page.getByLabel('Rest day (no training)').check();
    expect(await axeViolations(page)).toEqual([]);
    await shot('injury-checkin');
    await page.locator('#checkin-form').getByRole('button', { name: 'Save check-in' }).click();
    await expect.poll(() => page.locator('#checkin-status').textContent()).toMatch(/^Saved /);
    const recent = await cells('#recent-days');
    expect(recent[0]![4]).toBe('new injury, back of thigh (hamstring), moderate');
  });

  it('sends no reminder until notifications are allowed; then schedules one and shows it through the service worker', async () => {
    const origin = new URL(fed.url).origin;
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.getByLabel('Reminder time').fill('07:30');
    await page.getByRole('button', { name: 'Remind me every day' }).click();
    await expect.poll(() => page.locator('#reminder-status').textContent()).toMatch(/no reminders will be sent/);
    expect(await page.evaluate(() => localStorage.getItem('huddle-reminder'))).toBeNull();

    await browser.context.grantPermissions(['notifications'], { origin });
    // A time two minutes ahead on the page's clock (today's check-in holds no answers, so the reminder is due).
    const at = await page.evaluate(() => {
      const d = new Date(Date.now() + 120_000);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    });
    await page.getByLabel('Reminder time').fill(at);
    await page.getByRole('button', { name: 'Remind me every day' }).click();
    await expect.poll(() => page.locator('#reminder-status').textContent()).toMatch(new RegExp(`^Reminder set for ${at} every day\\. Next: `));
    expect(JSON.parse((await page.evaluate(() => localStorage.getItem('huddle-reminder')))!)).toEqual({ time: at });
    const shown = () => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => n.title)));
    expect(await shown()).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot('reminders');
    await page.clock.fastForward('03:00');
    await expect.poll(shown, { timeout: 10_000 }).toEqual(['Time for your check-in']);
  });

  it('imports Fitbit Takeout files (resting HR, sleep, HRV) at once with their report', async () => {
    await page.getByLabel('Watch or ring file').setInputFiles([
      { name: 'resting_heart_rate-2024-03-01.json', mimeType: 'application/json', buffer: Buffer.from(sampleFitbitRestingHeartRate()) },
      { name: 'sleep-2024-03-01.json', mimeType: 'application/json', buffer: Buffer.from(sampleFitbitSleep()) },
      { name: 'Daily Heart Rate Variability Summary - 2024-03-(01).csv', mimeType: 'text/csv', buffer: Buffer.from(sampleFitbitHrvCsv()) },
    ]);
    await expect.poll(() => page.locator('#wearable-summary').textContent()).toMatch(/^3 files: 2 days with measurements from .+ to .+, 3 records with problems, 1 warning\.$/);
    expect(await cells('#wearable-errors')).toEqual([
      ['4', 'resting_hr_bpm', 'resting_heart_rate-2024-03-01.json: out of range: must be from 20 to 150'],
      ['4', 'sleep_hours', 'sleep-2024-03-01.json: not a sleep entry (minutesAsleep: expected number)'],
      ['4', 'hrv_rmssd_ms', 'Daily Heart Rate Variability Summary - 2024-03-(01).csv: rmssd is not a number'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await shot('fitbit-import');
    await page.getByRole('button', { name: 'Add 2 days to my log' }).click();
    await expect.poll(() => page.locator('#wearable-status').textContent()).toBe('Added measurements to 2 days (2 new, 0 updated). Your check-in answers were kept.');
  });

  it('imports an Oura CSV export with its report, refusing bad rows by line', async () => {
    await page.getByLabel('Watch or ring file').setInputFiles({ name: 'oura_trends.csv', mimeType: 'text/csv', buffer: Buffer.from(sampleOuraCsv()) });
    await expect.poll(() => page.locator('#wearable-summary').textContent()).toMatch(/^oura_trends\.csv: 2 days with measurements from .+ to .+, 2 records with problems\.$/);
    expect(await cells('#wearable-errors')).toEqual([
      ['4', 'hrv_rmssd_ms', 'out of range: must be from 1 to 300'],
      ['5', 'date', 'not a date in YYYY-MM-DD form'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await shot('oura-import');
    await page.getByRole('button', { name: 'Add 2 days to my log' }).click();
    // The same two days as Fitbit's: Oura's measurements replace them, nothing else changes.
    await expect.poll(() => page.locator('#wearable-status').textContent()).toBe('Added measurements to 2 days (0 new, 2 updated). Your check-in answers were kept.');
    expect(errors).toEqual([]);
  });
});
