/**
 * The operator console in Chromium against a real enrolled coordinator on loopback with three Node athletes: rounds run
 * and one is refused for the privacy budget; the operator reads why in the history and the "rounds now" panel, exports
 * the history as CSV, sees Chart.js charts with hover and a y axis from zero, creates an invite with its QR code, edits
 * a task setting through the validated diff, revokes a device, and an analyst sees no admin tools. axe-core finds no
 * violations; screenshots go to tests/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByAthlete } from '@huddle/shared/log';
import { ledgerEpsilon } from '@huddle/shared/privacy';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const DAY_MS = 86_400_000;

describe('operator console in Chromium', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  let refusal = '';
  const problems: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const start = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 3, days: 60, seed: 5, startDate: start })).values()];
    // With 3 of 3 enrolled athletes selected (q = 1) and z = 1, a budget between the epsilon of one and of two rounds
    // lets the first injury round run and refuses the second.
    const entry = { samplingRate: 1, noiseMultiplier: 1, steps: 1 };
    const one = ledgerEpsilon({ taskId: 'injury', entries: [entry] }, 1e-5).epsilon;
    const two = ledgerEpsilon({ taskId: 'injury', entries: [entry, entry] }, 1e-5).epsilon;
    const round = { clientsPerRound: 3, minClients: 3, overSelection: 1, roundTimeoutMs: 30_000, evaluateTimeoutMs: 20_000 };
    const injury = defaultTaskConfig('injury', round);
    fed = await startWebFederation({
      tasks: [defaultTaskConfig('readiness', round), { ...injury, privacy: { ...injury.privacy, noise: 'central', noiseMultiplier: 1, epsilonBudget: Number(((one + two) / 2).toFixed(3)) } }],
      nodeAthletes: athletes,
    });
    for (let i = 0; i < 2; i++) {
      await fed.coordinator.waitForClients('readiness', 3, 30_000);
      expect((await fed.coordinator.runRound('readiness')).status).toBe('completed');
    }
    await fed.coordinator.waitForClients('injury', 3, 30_000);
    expect((await fed.coordinator.runRound('injury')).status).toBe('completed');
    await fed.coordinator.waitForClients('injury', 3, 30_000);
    const refused = await fed.coordinator.runRound('injury');
    expect(refused.status).toBe('abandoned');
    refusal = refused.reason ?? '';
    expect(refusal).toMatch(/^privacy budget: this round would take epsilon from/);

    browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('moved from /dashboard to /console/ under its own CSP, compressed', async () => {
    const res = await fetch(`${fed.url}/console/main.js`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/wasm-unsafe-eval/);
    expect(res.headers.get('content-encoding')).toMatch(/br|gzip/);
    await page.goto(`${fed.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect(await axeViolations(page)).toEqual([]);
    await shot('1-signin');
  });

  it('signs in as admin and says why no round starts: refused for the privacy budget, with the epsilon reason', async () => {
    await page.getByLabel('Analyst or admin token').fill(fed.adminToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Task: injury' }).waitFor();
    const injury = (await page.locator('#outlook-card-injury').textContent())!;
    expect(injury).toContain(`Refused for the privacy budget: ${refusal.replace(/^privacy budget: /, '')}`);
    expect(injury).toMatch(/1 completed round\b/);
    const readiness = (await page.locator('#outlook-card-readiness').textContent())!;
    expect(readiness).toMatch(/3 clients are ready: round 3 starts/);
    await shot('2-rounds-now');
  });

  it('shows the refused round in the history with its reason, and exports the history as CSV', async () => {
    await page.getByLabel('Task', { exact: true }).first().selectOption('injury');
    const rows = await page.locator('#history tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 3)).toEqual(['2', 'abandoned', refusal]);
    expect(rows[1]!.slice(0, 3)).toEqual(['1', 'completed', '—']);
    expect(Number(rows[1]![8])).toBeGreaterThan(0); // epsilon spent through round 1
    expect(rows[1]![5]).toBe('3');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('task,Round,Status,Reason,Started,Duration (s),Selected,Reported,Dropped,ε (cumulative),Secure aggregation');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`injury,2,abandoned,"${refusal}"`);
    expect(download.suggestedFilename()).toBe('huddle-injury-rounds.csv');
    await shot('3-history');
  });

  it('draws Chart.js charts with hover tooltips, the y axis from zero and labelled axes', async () => {
    const canvas = page.locator('canvas#chart-readiness-loss');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    const chart = await page.evaluate(() => {
      const Chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): any } }).Chart;
      const c = Chart.getChart(document.getElementById('chart-readiness-loss') as HTMLCanvasElement);
      return { yMin: c.scales.y.min, yTitle: c.options.scales.y.title.text, xTitle: c.options.scales.x.title.text, labels: c.data.labels, active: c.tooltip.getActiveElements().length };
    });
    expect(chart).toEqual({ yMin: 0, yTitle: 'Loss', xTitle: 'Round', labels: ['1', '2'], active: expect.any(Number) });
    expect(chart.active).toBeGreaterThan(0);
    // After completed rounds the chart never claims there are none.
    expect(await page.locator('#charts').textContent()).not.toContain('No completed rounds yet');
    await shot('4-charts');
  });

  it('creates an invite with a QR code of its join link, and lists the enrolled devices', async () => {
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByRole('button', { name: 'Create invite' }).click();
    await page.locator('#invite-qr').waitFor();
    const code = (await page.locator('#invite-code').textContent())!;
    expect(await page.locator('#invite-link').textContent()).toBe(`${fed.url}/#/join?code=${code}`);
    const src = (await page.locator('#invite-qr').getAttribute('src'))!;
    expect(Buffer.from(src.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8')).toMatch(/^<svg[^>]*viewBox="0 0 \d+ \d+"[\s\S]*<path/);
    expect(await page.locator('#invite-qr').evaluate((img: HTMLImageElement) => img.naturalWidth > 0)).toBe(true);
    await expect.poll(() => page.locator('#invites tbody tr').count()).toBe(4);
    expect(await page.locator('#invites').textContent()).toMatch(/pending/);
    const enrolled = await page.locator('#enrollments tbody tr').allTextContents();
    expect(enrolled).toHaveLength(3);
    for (const n of fed.nodeClients) expect(enrolled.join('\n')).toContain(n.clientId);
    expect(await axeViolations(page)).toEqual([]);
    await shot('5-access');
  });

  it('revokes a device after confirmation', async () => {
    const victim = fed.nodeClients[2]!.clientId;
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: `Revoke device ${victim}` }).click();
    await expect.poll(() => fed.store.enrollments.byClientId(victim)?.revokedAt ?? null).not.toBeNull();
    await expect.poll(() => page.locator('#enrollments').textContent()).toMatch(/revoked/);
  });

  it('edits a task setting: refuses an invalid value, shows the diff, then applies it', async () => {
    await page.getByRole('link', { name: 'Task settings' }).click();
    await page.locator('#settings-task').selectOption('readiness');
    // The form is rendered again once the task's settings arrive: edits made before then would be replaced.
    await page.locator('#settings-form:not([aria-busy])').waitFor();
    await page.getByLabel('Fewest updates to aggregate').waitFor();
    expect(await page.locator('#settings-model').textContent()).toBe(
      'Model: boosted additive model; absolute loss, change from today target, monotone where physiology is known, median step, mean forecast beside the median, pair term; learning rate 0.15, L2 0.01. The model class and its layout are fixed once the task exists.',
    );
    // minClients above clientsPerRound: the browser accepts the number, the coordinator's schema refuses it.
    await page.getByLabel('Fewest updates to aggregate').fill('5');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await expect.poll(() => page.locator('#settings-review').textContent()).toMatch(/refused these settings: .*minClients must not exceed clientsPerRound/);
    await page.getByLabel('Batch size').fill('0');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await expect.poll(() => page.locator('#settings-review').textContent()).toMatch(/out of range/);
    expect(await page.getByLabel('Batch size').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Batch size').fill('16');
    await page.getByLabel('Fewest updates to aggregate').fill('4');
    await page.getByLabel('Updates per round').fill('4');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('heading', { name: 'What changes' }).waitFor();
    const diff = await page.locator('#settings-review tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(diff).toEqual([
      ['clientsPerRound', '3', '4'],
      ['fit.batchSize', '32', '16'],
      ['minClients', '3', '4'],
    ]);
    expect(fed.store.loadTaskConfig('readiness')?.minClients ?? 3).toBe(3);
    await shot('6-settings-diff');
    await page.getByRole('button', { name: 'Apply 3 changes to readiness' }).click();
    await expect.poll(() => page.locator('#settings-review').textContent()).toMatch(/Saved: clientsPerRound, fit.batchSize, minClients/);
    expect(fed.store.loadTaskConfig('readiness')).toMatchObject({ minClients: 4, clientsPerRound: 4, fit: { batchSize: 16 } });
    expect(fed.coordinator.taskState('readiness').config.minClients).toBe(4);
    // Two devices remain connected and enrolled: the panel now says what the next round waits for.
    await expect.poll(() => page.locator('#outlook-card-readiness').textContent(), { timeout: 15_000 }).toMatch(/Waiting for 4 connected opted-in clients \(2 now, 2 enrolled for this task\)/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('7-settings-saved');
  });

  it('works on a 390x844 phone too: an invite with its QR code, the refused round and its reason, a setting edited', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByRole('link', { name: 'Access' }).click();
      await page.getByRole('button', { name: 'Create invite' }).click();
      await page.locator('#invite-qr').waitFor();
      expect(await page.locator('#invite-qr').isVisible()).toBe(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.getByLabel('Task', { exact: true }).first().selectOption('injury');
      await expect.poll(() => page.locator('#history').textContent()).toContain(refusal);
      await page.getByRole('link', { name: 'Task settings' }).click();
      await page.locator('#settings-task').selectOption('readiness');
      await page.locator('#settings-form:not([aria-busy])').waitFor();
      await page.getByLabel('Batch size').fill('32');
      await page.getByRole('button', { name: 'Review changes' }).click();
      await page.getByRole('heading', { name: 'What changes' }).waitFor();
      await page.getByRole('button', { name: 'Apply 1 change to readiness' }).click();
      await expect.poll(() => fed.store.loadTaskConfig('readiness')?.fit.batchSize).toBe(32);
      expect(await axeViolations(page)).toEqual([]);
      await shot('9-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('gives an analyst the rounds and charts but no admin tools, with no violations', async () => {
    await page.getByRole('link', { name: 'Access' }).click();
    await page.getByRole('button', { name: 'Create analyst token' }).click();
    const token = (await page.locator('#analyst-token').textContent())!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Analyst or admin token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Task: injury' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Access' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Task settings' }).isVisible()).toBe(false);
    await page.locator('#history tbody tr').first().waitFor();
    const html = await page.content();
    for (const n of fed.nodeClients) expect(html).not.toContain(n.clientId);
    expect(await axeViolations(page)).toEqual([]);
    await shot('8-analyst');
  });

  it('ran without script errors or CSP violations', () => {
    expect(problems.filter((p) => !/401|Unauthorized|403/.test(p))).toEqual([]);
  });
});
