import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoundEventStream } from '../../coordinator/src/dashboard/roundEventStream.ts';
import type { RoundEvent } from '../../coordinator/src/engine/coordinator.ts';
import { startAuthApp, type AuthApp } from '../../coordinator/test/helpers/authApp.ts';
import { enrollDevice } from '../../coordinator/test/helpers/enrolled.ts';
import { completedRound } from '../../coordinator/test/helpers/records.ts';

import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';

describe('operator dashboard in a browser', () => {
  const listeners = new Set<(e: RoundEvent) => void>();
  const engine = { on: (l: (e: RoundEvent) => void) => (listeners.add(l), () => void listeners.delete(l)) };
  const emit = (e: RoundEvent) => listeners.forEach((l) => l(e));
  let events: RoundEventStream;
  let app: AuthApp;
  let browser: LaunchedChromium;
  let page: Page;
  const problems: string[] = [];
  const clientIds: string[] = [];

  beforeAll(async () => {
    events = new RoundEventStream(engine);
    app = await startAuthApp({ events });
    clientIds.push(enrollDevice(app.store).clientId, enrollDevice(app.store, ['injury']).clientId);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => void problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    events?.close();
    await app?.close();
  });

  it('refuses a wrong token and says so', async () => {
    await page.goto(`${app.url}/dashboard`);
    await page.getByLabel('Analyst or admin token').fill('hdl_wrong-wrong-wrong-wrong');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/refused/);
    expect(await page.getByLabel('Analyst or admin token').isVisible()).toBe(true);
  });

  it('signs in with the keyboard and shows tasks, settings, enrolled counts and budget', async () => {
    await page.getByLabel('Analyst or admin token').focus();
    await page.keyboard.type(app.analystToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Task: injury' }).waitFor();
    await page.getByRole('heading', { name: 'Task: readiness' }).waitFor();
    const text = (await page.locator('main').textContent())!;
    expect(text).toMatch(/Enrolled devices\s*2/);
    expect(text).toMatch(/Enrolled for injury\s*2/);
    expect(text).toMatch(/Enrolled for readiness\s*1/);
    expect(text).toMatch(/Updates per round\s*5/);
    expect(text).toMatch(/ε spent: 0/);
    // The test app runs the plain task defaults: the banner says privacy is weakened.
    const banner = (await page.locator('#warnings').textContent())!;
    expect(await page.locator('#warnings').isVisible()).toBe(true);
    expect(banner).toContain('Warning: injury: secure aggregation is off');
    expect(banner).toContain('Warning: readiness: differential privacy is off');
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');
  });

  it('follows a round live and draws its metrics when it ends, without any participant id', async () => {
    emit({ type: 'roundStarted', task: 'injury', round: 1, roundId: 'injury-1-aa', selected: 5, deadline: Date.now() + 60_000 });
    const progress = page.getByRole('progressbar', { name: 'Updates reported in round 1' });
    await progress.waitFor();
    emit({ type: 'updateReceived', task: 'injury', round: 1, roundId: 'injury-1-aa', reported: 2 });
    await expect.poll(() => page.locator('#progress-injury').textContent()).toMatch(/2 of 5 selected devices have reported/);

    const weights = app.coordinator.taskState('injury').weights;
    const record = { ...completedRound('injury', 1, [...clientIds, 'cl_third']), roundId: 'injury-1-aa' };
    app.store.chargeLedger('injury', { samplingRate: 0.1, noiseMultiplier: 1.1, steps: 1 });
    app.store.commitRound(record, { task: 'injury', round: 1, weights, optimizerState: null });
    emit({ type: 'roundEnded', record });
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Round 1 of injury completed: 2 of 3 selected devices reported/);
    await page.getByRole('img', { name: /Loss per completed round/ }).waitFor();
    await expect.poll(() => page.locator('main').textContent()).toMatch(/over 1 charged round/);
    expect(await page.locator('#progress-injury').textContent()).toMatch(/Selected 3, reported 2, dropped 1/);

    const html = await page.content();
    for (const id of [...clientIds, 'cl_third']) expect(html).not.toContain(id);
  });

  it('opens the chart data table and signs out with the keyboard', async () => {
    const summary = page.getByText('Loss per completed round: data table');
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: '0.5' }).first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.getByLabel('Analyst or admin token').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems.filter((p) => !/401|Unauthorized/.test(p))).toEqual([]);
  });
});
