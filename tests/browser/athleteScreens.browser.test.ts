/**
 * Every screen of the athlete app at a phone's 390x844 in Chromium, after real rounds (readiness plain, injury under
 * secure aggregation) against a live coordinator with four Node athletes: guided onboarding (join, consent with the
 * team's privacy settings, first check-in), every screen in the navigation, the unlock screen and the erased screen.
 * Each gets axe-core (0 violations) and a screenshot in tests/artifacts/athlete-*.png. The outbox is kept sealed:
 * plain words survive a reload; erasing removes it with everything else.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete, localCalendarDate, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DAY_MS = 86_400_000;
const PASSPHRASE = 'copper tundra violin harbour';

describe('every athlete screen at 390x844 after rounds: axe-core and screenshots', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  let rows: DailyLogRow[] = [];
  let clientId = '';
  const visited: string[] = [];
  const problems: string[] = [];

  /** axe-core on the screen as shown, then its screenshot. */
  const check = async (name: string) => {
    expect(await axeViolations(page), `axe-core on ${name}`).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, `athlete-${name}.png`), fullPage: true });
    visited.push(name);
  };

  beforeAll(async () => {
    ensureWebClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    const start = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 5, days: 60, seed: 44, startDate: start })).values()];
    rows = athletes[4]!.filter((r) => r.date < localCalendarDate());
    const config = { clientsPerRound: 5, minClients: 5, overSelection: 1, roundTimeoutMs: 60_000, evaluateTimeoutMs: 30_000 };
    fed = await startWebFederation({
      dist: DIST,
      tasks: [defaultTaskConfig('readiness', config), defaultTaskConfig('injury', { ...config, secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 } })],
      nodeAthletes: athletes.slice(0, 4),
    });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => problems.push(e.message));
    // The app runs under the deployed Content-Security-Policy: any violation (an eval, say) is a failure.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`)));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('guides onboarding: join, consent with the team’s settings, a first check-in, a next step at each stage', async () => {
    const invite = await fed.invite();
    await page.goto(invite.joinUrl);
    await page.getByRole('heading', { name: 'Join your team' }).waitFor();
    expect(await page.locator('.onboarding').textContent()).toMatch(/^Step 1 of 3/);
    await check('1-join');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    clientId = (await fed.clientIdOfInvite(invite.id))!;
    expect(await page.locator('.onboarding').textContent()).toMatch(/^Step 2 of 3/);
    // The team's settings, from the team server, in plain words per task.
    await expect.poll(() => page.locator('#team-privacy [data-task="injury"]').count()).toBe(1);
    expect(await page.locator('#team-privacy [data-task="injury"]').textContent()).toMatch(/uses secure aggregation: .* only ever sees the sum/);
    expect(await page.locator('#team-privacy [data-task="readiness"]').textContent()).toMatch(/does not use secure aggregation: the team server can read your update/);
    expect(await page.locator('#team-privacy').textContent()).toMatch(/Differential privacy is off/);
    expect(await page.locator('#device-terms li').count()).toBeGreaterThan(3);
    await check('2-consent');
    await page.getByLabel(/Injury risk model/).check();
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    const next = page.getByRole('link', { name: 'Next: your first check-in' });
    await next.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consent-next-link');
    await next.click();
    await page.getByRole('heading', { name: 'Your first check-in' }).waitFor();
    expect(await page.locator('.onboarding').textContent()).toMatch(/^Step 3 of 3/);
    await check('3-first-checkin');
    await page.locator('#quick-fatigue').getByText('4', { exact: true }).click();
    await page.getByRole('button', { name: 'Save check-in' }).click();
    await page.getByRole('link', { name: 'See your forecast' }).waitFor();
    expect(await page.locator('#start-next').textContent()).toMatch(/Done: 1 day logged/);
    await check('3-first-checkin-done');
  });

  it('imports a log, runs a plain and a secure round with the browser counted, and keeps the outbox sealed across a reload', async () => {
    await page.getByRole('link', { name: 'Log', exact: true }).click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(formatDailyLogCsv(rows)) });
    await page.getByRole('button', { name: `Import ${rows.length} days` }).click();
    await expect.poll(() => page.locator('#import-status').textContent()).toMatch(/Imported/);
    await fed.coordinator.waitForClients('readiness', 5, 30_000);
    expect((await fed.coordinator.runRound('readiness')).reported).toContain(clientId);
    await fed.coordinator.waitForClients('injury', 5, 30_000);
    const injury = await fed.coordinator.runRound('injury');
    expect(injury.secureAggregation).toBe(true);
    expect(injury.reported).toContain(clientId);

    await page.getByRole('link', { name: 'Sharing', exact: true }).click();
    await expect.poll(() => page.locator('#outbox').textContent(), { timeout: 20_000 }).toMatch(/Sent your training update for round 1 of the injury risk model, encrypted so the team server only sees the team’s sum/);
    const plain = async () => page.locator('#outbox .plain').allTextContents();
    const before = await plain();
    expect(before.join('\n')).toMatch(/Sent your training update for round 1 of the readiness model: .* the team server can read this update/);
    // Technical details wait behind a disclosure.
    expect(await page.locator('#outbox details').first().isVisible()).toBe(true);
    expect(await page.locator('#outbox dl').first().isVisible()).toBe(false);
    await page.reload();
    await page.getByRole('heading', { name: 'Taking part' }).waitFor();
    const after = await plain();
    // Every entry from before the reload is still there (the reconnection may add new ones on top).
    expect(after.slice(after.length - before.length)).toEqual(before);
  });

  it('passes axe-core on every screen in the navigation, after the rounds', async () => {
    const links = await page.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => ({ name: a.textContent ?? '', href: a.getAttribute('href') ?? '' })));
    expect(links.map((l) => l.name)).toEqual(expect.arrayContaining(['Log', 'Forecast', 'Plan', 'Sharing', 'Your data']));
    for (const link of links) {
      await page.goto(`${fed.url}/${link.href}`);
      await page.locator('main h2').first().waitFor();
      if (link.href === '#/forecast') await page.locator('#forecast-readiness[data-evidence]').waitFor({ timeout: 60_000 });
      if (link.href === '#/sharing') await page.locator('#outbox .outbox-entry').first().waitFor();
      await page.waitForTimeout(300);
      await check(`4-${link.href.replace(/^#\//, '').replace(/[^a-z0-9-]/gi, '-')}`);
    }
    // Screens outside the navigation: the joined state of Join, consent once enrolled.
    await page.goto(`${fed.url}/#/join`);
    await page.getByRole('heading', { name: 'You have joined' }).waitFor();
    await check('5-joined');
  });

  it('passes axe-core on the unlock screen, a refused passphrase and the erased screen', async () => {
    await page.goto(`${fed.url}/#/privacy`);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Type it again').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    await page.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 });
    await check('6-unlock');
    await page.getByLabel('Passphrase').fill('copper tundra violin harbor');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#unlock-status').textContent(), { timeout: 30_000 }).toMatch(/does not unlock/);
    await check('6-unlock-refused');
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor({ timeout: 30_000 });
    // The outbox came through the re-keying: it is sealed with everything else.
    await page.getByRole('link', { name: 'Sharing', exact: true }).click();
    await expect.poll(() => page.locator('#outbox .plain').count()).toBeGreaterThan(3);
    await page.getByRole('link', { name: 'Your data', exact: true }).click();
    await page.getByRole('button', { name: 'Erase everything' }).click();
    await page.getByRole('button', { name: 'Yes, erase everything' }).click();
    await page.getByRole('heading', { name: 'Everything is erased' }).waitFor({ timeout: 30_000 });
    await check('7-erased');
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
    expect(fed.store.enrollments.byClientId(clientId)).toBeNull();
    expect(visited.length).toBeGreaterThanOrEqual(12);
    for (const name of visited) expect(existsSync(join(ARTIFACTS, `athlete-${name}.png`))).toBe(true);
    expect(problems).toEqual([]);
  });
});
