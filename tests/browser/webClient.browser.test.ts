/**
 * The athlete's web client end to end, in Chromium, against a real coordinator on loopback that serves the built app:
 * join with an invite link, consent, CSV import with a row-by-row report, a check-in through the form, encrypted
 * IndexedDB, a federated round with three Node athletes in which the browser's update is counted, forecasts with
 * their factors, offline use from the service worker's cache, and erasure. At a phone's 390x844, with axe-core run on
 * every screen and a quick check-in counted in taps.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete, localCalendarDate, parseDailyLogCsv, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Browser-local "today" is the test machine's local date. */

/** 90 valid days ending yesterday, plus four bad rows spliced in: a fake date, a duplicate day, out-of-range answers, a short row. */
function csvWithBadRows(rows: DailyLogRow[]): string {
  const lines = formatDailyLogCsv(rows).trimEnd().split('\n');
  const header = lines[0]!;
  const body = lines.slice(1);
  const cells = body[10]!.split(',');
  const id = cells[0]!;
  const fakeDate = [id, '2023-02-30', ...cells.slice(2)].join(',');
  const duplicate = body[20]!; // same athlete and date as an earlier row
  const outOfRange = [...cells];
  outOfRange[1] = '2023-06-01';
  outOfRange[4] = '7'; // fatigue 1-5
  outOfRange[9] = '30'; // sleep_hours 0-24
  const shortRow = `${id},2023-06-02,300,7`;
  return [header, ...body.slice(0, 30), fakeDate, duplicate, ...body.slice(30, 60), outOfRange.join(','), shortRow, ...body.slice(60)].join('\n') + '\n';
}

describe('athlete web client in Chromium against a live coordinator', () => {
  let fed: WebFederation;
  let context: BrowserContext;
  let page: Page;
  let browser: LaunchedChromium;
  let browserClientId = '';
  let csv = '';
  let browserRows: DailyLogRow[] = [];
  const problems: string[] = [];
  const cspViolations: string[] = [];

  const shot = async (name: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `web-client-${name}.png`), fullPage: true });
  };
  const status = (selector: string) => page.locator(selector).textContent();
  /** Form controls without a label: there must be none. */
  const unlabelled = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => ((el as HTMLInputElement).labels?.length ?? 0) === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );

  beforeAll(async () => {
    const build = ensureWebClientBuilt();
    if (build.built) console.log(`built web-client/dist in ${build.ms} ms`);
    expect(existsSync(join(DIST, 'index.html'))).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });

    const start = isoDay(Date.now() - 90 * DAY_MS);
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 5, days: 90, seed: 21, startDate: start })).values()];
    browserRows = athletes[4]!.filter((r) => r.date < localCalendarDate());
    csv = csvWithBadRows(browserRows);
    // Five athletes: the devices' default privacy policy reveals no secure sum over fewer.
    const config = { clientsPerRound: 5, minClients: 5, overSelection: 1, roundTimeoutMs: 60_000, evaluateTimeoutMs: 30_000 };
    fed = await startWebFederation({
      // Served with the recommended CSP (serveWebApp): the whole run checks the app never violates it.
      dist: DIST,
      // Injury rounds run secure aggregation: the browser's worker masks its update like the Node clients do.
      tasks: [defaultTaskConfig('readiness', config), defaultTaskConfig('injury', { ...config, secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 } })],
      nodeAthletes: athletes.slice(0, 4),
    });

    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    context = browser.context;
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.addInitScript(() => {
      (window as unknown as { taps: number }).taps = 0;
      addEventListener('pointerdown', () => void ((window as unknown as { taps: number }).taps += 1), { capture: true });
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('joins from an invite link and stores the identity', async () => {
    const invite = await fed.invite();
    expect(invite.joinUrl).toContain(invite.code);
    await page.goto(invite.joinUrl);
    await page.getByRole('heading', { name: 'Join your team' }).waitFor();
    expect(await page.getByLabel('Invite code').inputValue()).toBe(invite.code);
    expect(await unlabelled()).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    await shot('1-join');
    // Keyboard only: Enter in the code field submits.
    await page.getByLabel('Invite code').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    browserClientId = (await fed.clientIdOfInvite(invite.id)) ?? '';
    expect(browserClientId).not.toBe('');
    expect(page.url()).toMatch(/#\/consent$/);
  });

  it('asks for consent in plain words, per task', async () => {
    const text = (await page.locator('main').textContent())!;
    expect(text).toMatch(/Never leaves this device/);
    expect(text).toMatch(/Your daily log/);
    expect(text).toMatch(/clipped/);
    expect(text).toMatch(/histogram of predicted risk by outcome/);
    expect(text).toMatch(/sums of the errors/);
    expect(await unlabelled()).toEqual([]);
    await page.getByLabel(/Injury risk model/).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByLabel(/Injury risk model/).isChecked()).toBe(true);
    expect(await page.getByLabel(/Readiness model/).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await shot('2-consent');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => status('#consent-status')).toMatch(/helps train: injury risk and readiness/);
  });

  it('imports 90 days from a CSV and reports each bad row by row number, field and reason', async () => {
    await page.getByRole('link', { name: 'Log' }).click();
    await page.getByRole('heading', { name: 'Daily check-in' }).waitFor();
    await page.getByLabel('CSV file').setInputFiles({ name: 'my-log.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#import-summary').waitFor();
    const expected = parseDailyLogCsv(csv);
    expect(expected.rows).toHaveLength(browserRows.length);
    expect(expected.errors.length).toBeGreaterThanOrEqual(5);
    const shown = await page.locator('#import-errors tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(shown).toEqual(expected.errors.map((e) => [String(e.row), e.field, e.reason]));
    expect(shown.map((r) => r[1])).toEqual(expect.arrayContaining(['date', 'fatigue', 'sleep_hours', '(row)']));
    expect(await status('#import-summary')).toMatch(new RegExp(`${browserRows.length} valid rows, 4 rows with problems`));
    await page.getByRole('button', { name: `Import ${browserRows.length} days` }).click();
    await expect.poll(() => status('#import-status')).toMatch(new RegExp(`Imported ${browserRows.length} days \\(${browserRows.length} new, 0 replaced\\)`));
    await shot('3-import-report');
  });

  it('checks in quickly: "same as yesterday", one change, save, in under 8 taps', async () => {
    const yesterday = browserRows.at(-1)!;
    expect(await status('#recent-days')).toContain(`${browserRows.length} days logged`);
    await page.evaluate(() => void ((window as unknown as { taps: number }).taps = 0));
    await page.getByRole('button', { name: 'Same as yesterday' }).click();
    // Fatigue differs today: one tap on "2".
    const newFatigue = yesterday.fatigue === 2 ? 3 : 2;
    await page.locator('#quick-fatigue').getByText(String(newFatigue), { exact: true }).click();
    // Readiness slider: one tap near its right end.
    const slider = (await page.getByLabel(/^Readiness to train \(0 not at all/).boundingBox())!;
    await page.mouse.click(slider.x + slider.width * 0.95, slider.y + slider.height / 2);
    await page.getByRole('button', { name: 'Save check-in' }).first().click();
    await expect.poll(() => status('#quick-status')).toMatch(/Saved .*stored encrypted on this device only/);
    const taps = await page.evaluate(() => (window as unknown as { taps: number }).taps);
    expect(taps).toBe(4);
    expect(taps).toBeLessThan(8);
    expect(await status('#recent-days')).toContain(`${browserRows.length + 1} days logged`);
    const row = await page.locator(`#recent-days tr[data-date="${localCalendarDate()}"]`).textContent();
    expect(row).toContain(String(yesterday.sleepHours === null ? '–' : Math.min(9, Math.max(5, Math.round(yesterday.sleepHours)))));
    const readiness = Number(await page.locator('#quick-readiness').inputValue());
    expect(readiness).toBeGreaterThanOrEqual(9);
    expect(await axeViolations(page)).toEqual([]);
    await shot('3-quick-checkin');
  });

  it('deletes a day with an undo, and the undo brings it back', async () => {
    const day = browserRows.at(-3)!.date;
    await page.locator(`#recent-days tr[data-date="${day}"] button`).click();
    await expect.poll(() => status('#undo')).toMatch(/^Deleted .*Undo$/);
    expect(await page.locator(`#recent-days tr[data-date="${day}"]`).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('undo-delete');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`#recent-days tr[data-date="${day}"]`).count()).toBe(1);
    expect(await status('#recent-days')).toContain(`${browserRows.length + 1} days logged`);
  });

  it('saves a check-in through the form, refusing invalid answers with the shared validator', async () => {
    const today = localCalendarDate();
    await page.getByText('Full check-in: sessions, other days, heart rate, injury').click();
    await page.getByLabel('Day', { exact: true }).fill(today);
    await page.getByLabel('Session 1 effort (RPE 0–10)').fill('7');
    await page.getByLabel('Session 1 minutes').fill('60');
    await page.getByRole('button', { name: 'Add a session' }).click();
    await page.getByLabel('Session 2 effort (RPE 0–10)').fill('4');
    await page.getByLabel('Session 2 minutes').fill('30');
    await expect.poll(() => status('#load-total')).toMatch(/Load today: 540 AU/);
    expect(await unlabelled()).toEqual([]);
    await page.getByLabel('Readiness to train (0–10)').fill('11');
    await page.getByLabel(/^Fatigue/).selectOption('4');
    await page.getByLabel(/^Mood/).selectOption('4');
    await page.getByLabel(/^Sleep quality/).selectOption('3');
    await page.getByLabel(/^Muscle soreness/).selectOption('3');
    await page.getByLabel(/^Stress/).selectOption('4');
    await page.getByLabel('Hours slept').fill('7.5');
    await page.locator('#checkin-form').getByRole('button', { name: 'Save check-in' }).click();
    await expect.poll(() => status('#checkin-errors')).toMatch(/Readiness: out of range: must be from 0 to 10/);
    expect(await page.getByLabel('Readiness to train (0–10)').getAttribute('aria-invalid')).toBe('true');
    await shot('4-checkin-error');
    await page.getByLabel('Readiness to train (0–10)').fill('7.5');
    await page.locator('#checkin-form').getByRole('button', { name: 'Save check-in' }).click();
    await expect.poll(() => status('#checkin-status')).toMatch(/Updated .*stored encrypted on this device only/);
    expect(await status('#recent-days')).toContain(`${browserRows.length + 1} days logged`);
    await shot('4-log');
  });

  it('keeps only opaque ids and ciphertext in IndexedDB, with a non-extractable key', async () => {
    const raw = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('huddle');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const all = <T,>(store: string) =>
        new Promise<T[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result as T[]);
          req.onerror = () => reject(req.error);
        });
      const records = await all<Record<string, unknown>>('records');
      const keys = await all<{ id: string; key: CryptoKey }>('keys');
      db.close();
      const latin1 = (b: unknown) => (b instanceof Uint8Array ? Array.from(b, (c) => String.fromCharCode(c)).join('') : JSON.stringify(b));
      return {
        stores: Array.from(db.objectStoreNames),
        records: records.map((r) => ({ fields: Object.keys(r).sort(), id: String(r.id), ivLength: (r.iv as Uint8Array).length, text: `${JSON.stringify(Object.keys(r))}${String(r.id)}${latin1(r.iv)}${latin1(r.data)}${new TextDecoder().decode(r.data as Uint8Array)}` })),
        keys: keys.map((k) => ({ id: k.id, isCryptoKey: k.key instanceof CryptoKey, extractable: k.key.extractable, algorithm: (k.key.algorithm as AesKeyAlgorithm).name, length: (k.key.algorithm as AesKeyAlgorithm).length })),
      };
    });
    expect(raw.stores.sort()).toEqual(['keys', 'planned', 'records']);
    expect(raw.keys).toEqual([{ id: 'device', isCryptoKey: true, extractable: false, algorithm: 'AES-GCM', length: 256 }]);
    // 91 days + identity + settings (+ cached models and participation later).
    expect(raw.records.length).toBeGreaterThanOrEqual(browserRows.length + 3);
    const everything = raw.records.map((r) => r.text).join('\n');
    const needles = [browserClientId, 'secretKey', 'srpeLoad', 'readiness', 'athleteId', 'consent', ...browserRows.slice(0, 40).map((r) => r.date), localCalendarDate()];
    for (const needle of needles) expect(everything, `IndexedDB holds "${needle}" in clear`).not.toContain(needle);
    for (const r of raw.records) {
      expect(r.fields).toEqual(['data', 'id', 'iv']);
      expect(r.id).toMatch(/^[0-9a-f]{32}$/);
      expect(r.ivLength).toBe(12);
    }
  });

  it('takes part in a round from its Web Worker: the coordinator counts its update', async () => {
    await fed.coordinator.waitForClients('readiness', 5, 30_000);
    expect(fed.coordinator.registry.byId(browserClientId)).toBeTruthy();
    const record = await fed.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.reported).toContain(browserClientId);
    expect(record.reported).toHaveLength(5);
    expect(fed.coordinator.history('readiness').at(-1)!.reported).toContain(browserClientId);

    await fed.coordinator.waitForClients('injury', 5, 30_000);
    const injury = await fed.coordinator.runRound('injury');
    expect(injury.reason).toBeNull();
    expect(injury.status).toBe('completed');
    expect(injury.secureAggregation).toBe(true);
    expect(injury.reported).toContain(browserClientId);

    await page.getByRole('link', { name: 'Sharing' }).click();
    await expect.poll(() => status('#last-contribution'), { timeout: 20_000 }).toMatch(/round 1 of the injury risk model/);
    const types = await page.locator('.outbox-entry').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type));
    expect(types).toEqual(expect.arrayContaining(['hello', 'fitResult', 'evaluateResult']));
    const text = (await page.locator('#outbox').textContent())!;
    expect(text).toMatch(/clipped model update/);
    // Readiness (plain) sent its error sums; injury (secure) sent its histogram only inside the secure sum.
    expect(text).toMatch(/error sums \(absolute/);
    expect(text).not.toMatch(/histogram of predicted risk by outcome/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('5-sharing');
  });

  it('takes part from one tab at a time: a second tab waits instead of replacing the connection', async () => {
    const second = await context.newPage();
    try {
      await second.goto(`${fed.url}/#/sharing`);
      await expect.poll(() => second.locator('#connection').textContent(), { timeout: 20_000 }).toMatch(/another Huddle tab is taking part/);
      await second.waitForTimeout(1000);
      expect(fed.coordinator.registry.byId(browserClientId)).toBeTruthy();
      expect(await status('#connection')).toBe('Connected to the team server');
    } finally {
      await second.close();
    }
  });

  it('shows both forecasts with their top factors, personalized on the device, and trend charts', async () => {
    await page.getByRole('link', { name: 'Forecast' }).click();
    // No forecast carries a validated quality yet: each card says so, the estimate waits behind a disclosure.
    for (const task of ['readiness', 'injury']) {
      await page.locator(`#forecast-${task}[data-evidence="none"]`).waitFor({ timeout: 60_000 });
      expect(await page.locator(`#forecast-${task} .no-evidence`).textContent()).toBe('Not enough evidence yet');
      expect(await page.locator(`#forecast-${task} .evidence-reason`).textContent()).toMatch(/^No forecast to act on: the team model \(round \d+\) has not yet been validated/);
      expect(await page.locator(`#forecast-${task} .factors`).isVisible()).toBe(false);
    }
    expect(await axeViolations(page)).toEqual([]);
    await shot('6-forecast-no-evidence');
    await page.getByText('Show the unvalidated estimate').first().click();
    await page.getByText('Show the unvalidated estimate').last().click();
    await page.locator('#forecast-readiness .factors li').first().waitFor({ timeout: 60_000 });
    await page.locator('#forecast-injury .factors li').first().waitFor({ timeout: 60_000 });
    // What the athlete reads is the forecast the engine computed (data-value), in the card's units.
    const readiness = Number(await page.locator('#forecast-readiness .big').getAttribute('data-value'));
    const risk = Number(await page.locator('#forecast-injury .big').getAttribute('data-value'));
    expect(await page.locator('#forecast-readiness .big').textContent()).toBe(`${readiness.toFixed(1)} / 10`);
    expect(await page.locator('#forecast-injury .big').textContent()).toBe(`${(risk * 100).toFixed(risk < 0.1 ? 1 : 0)}%`);
    const factors = await page.locator('.factors li').allTextContents();
    expect(factors.length).toBeGreaterThanOrEqual(4);
    for (const f of factors) expect(f).toMatch(/^[A-Z].+: .+ — (raises|lowers) your (risk|readiness) by/);
    const card = (await page.locator('#forecast-readiness').textContent())!;
    expect(card).toMatch(/round 1/);
    expect(card).toMatch(/compared with your typical day/);
    expect(await page.locator('canvas#chart-load').count()).toBe(1);
    expect(await page.locator('canvas#chart-readiness').count()).toBe(1);
    expect(await page.locator('canvas#chart-risk').count()).toBe(1);
    await page.waitForTimeout(300);
    await shot('6-forecast');
  });

  it('works offline from the service worker cache: logging and forecasts need no connection', async () => {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBeGreaterThan(0);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'Your forecasts' }).waitFor({ timeout: 30_000 });
      // Chromium 150 serves the reload from the service worker but leaves the new document's navigator.onLine true
      // under emulated offline; applying the emulation again tells the page, as a real device's network would.
      if (await page.evaluate(() => navigator.onLine)) {
        await context.setOffline(false);
        await context.setOffline(true);
      }
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      await page.getByRole('link', { name: 'Log' }).click();
      await page.getByRole('heading', { name: 'Daily check-in' }).waitFor();
      expect(await status('#recent-days')).toContain(`${browserRows.length + 1} days logged`);
      await page.getByRole('link', { name: 'Forecast' }).click();
      await page.locator('#forecast-injury[data-evidence]').waitFor({ timeout: 60_000 });
      await page.locator('#forecast-injury').getByText('Show the unvalidated estimate').click();
      await page.locator('#forecast-injury .factors li').first().waitFor({ timeout: 60_000 });
      expect(await status('#connection')).toMatch(/Offline/);
      await shot('7-offline-forecast');
    } finally {
      await context.setOffline(false);
    }
    await page.reload();
    await page.getByRole('heading', { name: 'Your forecasts' }).waitFor();
    await fed.coordinator.waitForClients('readiness', 5, 30_000);
  });

  it('erases everything: IndexedDB is empty, caches are gone and the coordinator forgot the enrollment', async () => {
    expect(fed.store.enrollments.byClientId(browserClientId)).not.toBeNull();
    await page.getByRole('link', { name: 'Your data' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    expect(await unlabelled()).toEqual([]);
    expect(await page.locator('#enrolled-as').textContent()).toBe(`Enrolled with your team’s server under the pseudonymous id ${browserClientId}.`);
    expect(await axeViolations(page)).toEqual([]);
    await shot('8-privacy');
    // Another tab of the app is open: it must stop using the database, not re-create it.
    const other = await context.newPage();
    await other.goto(`${fed.url}/#/log`);
    await other.getByRole('heading', { name: 'Daily check-in' }).waitFor();
    // Focus lands on Cancel: Enter, Enter never erases.
    await page.getByRole('button', { name: 'Erase everything' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-cancel');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('button', { name: 'Yes, erase everything' }).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-cancel');
    await shot('8-erase-confirm');
    await page.getByRole('button', { name: 'Yes, erase everything' }).click();
    await page.getByRole('heading', { name: 'Everything is erased' }).waitFor({ timeout: 30_000 });
    await other.getByRole('heading', { name: 'Everything is erased' }).waitFor({ timeout: 10_000 });
    await other.close();
    expect(await status('#erased-detail')).toMatch(/The team server has forgotten this device/);
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
    await expect.poll(() => page.evaluate(async () => (await caches.keys()).length)).toBe(0);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
    expect(fed.store.enrollments.byClientId(browserClientId)).toBeNull();
    await expect.poll(() => fed.coordinator.registry.byId(browserClientId) ?? null).toBeNull();
    expect(await axeViolations(page)).toEqual([]);
    await shot('9-erased');
  });

  it('ran without page errors or CSP violations', () => {
    const unexpected = problems.filter((p) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|ERR_INTERNET_DISCONNECTED|websocket/i.test(p));
    expect(cspViolations).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(fed.serverErrors).toEqual([]);
  });
});

describe("the coordinator's own web-app serving (startCoordinator({ webAppDir }))", () => {
  let fed: WebFederation;
  let context: BrowserContext;
  let browser: LaunchedChromium;

  beforeAll(async () => {
    ensureWebClientBuilt();
    fed = await startWebFederation({ webAppDir: DIST, tasks: [defaultTaskConfig('readiness'), defaultTaskConfig('injury')], nodeAthletes: [] });
    browser = await launchChromium();
    context = browser.context;
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('serves the app at / and its invite links, and the app enrolls and connects', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const invite = await fed.invite(['readiness']);
    await page.goto(invite.joinUrl);
    expect(await page.getByLabel('Invite code').inputValue()).toBe(invite.code);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    expect(await page.getByLabel(/Injury risk model/).isDisabled()).toBe(true);
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 20_000 }).toBe('Connected to the team server');
    const clientId = await fed.clientIdOfInvite(invite.id);
    expect(fed.coordinator.registry.byId(clientId!)?.tasks.includes('readiness')).toBe(true);
    // A deep link into the app (SPA fallback) and the service worker script are served too.
    expect((await fetch(`${fed.url}/join`)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(`${fed.url}/sw.js`)).status).toBe(200);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    expect(errors).toEqual([]);
  });
});
