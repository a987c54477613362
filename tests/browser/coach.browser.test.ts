/**
 * The coach's view in Chromium at 390x844 against a real enrolled coordinator on loopback serving the built app: the
 * operator creates a coach invite in the console, the coach enrolls on the team board (/coach/, its key made and sealed
 * on its own device), the athlete (another browser) joins, checks in and pairs with the coach's code, the board shows
 * the decrypted summary while the coordinator's SQLite file holds only ciphertext, the athlete stops sharing, and the
 * board gets nothing more. axe-core on the board and the Coaches screen; screenshots to tests/artifacts/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coachFingerprint, formatPairingCode, SUMMARY_CIPHERTEXT_BYTES } from '@huddle/shared/coach';
import { formatDailyLogCsv, groupByAthlete, localCalendarDate, type DailyLogRow } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
interface RawDb {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
/** better-sqlite3 (the tests package has no type declarations for it), opened read-only on the coordinator's file. */
const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string, o: { readonly: boolean }) => RawDb;
const ATHLETE_NAME = 'Ottoline Brackenbury';
const PHONE = { width: 390, height: 844 };
const DAY_MS = 86_400_000;

describe('coach board and sharing in Chromium (390x844)', () => {
  let fed: WebFederation;
  let coachBrowser: LaunchedChromium;
  let athleteBrowser: LaunchedChromium;
  let coach: Page;
  let athlete: Page;
  let coachCode = '';
  let joinUrl = '';
  let rows: DailyLogRow[] = [];
  let plannedLoads: number[] = [];
  const problems: string[] = [];
  const summaryPosts: string[] = [];
  const shot = (p: Page, name: string) => p.screenshot({ path: join(ARTIFACTS, `coach-${name}.png`), fullPage: true });
  const text = async (p: Page, selector: string) => (await p.locator(selector).textContent()) ?? '';
  const sqlite = () => join(fed.dataDir, 'coordinator.sqlite');

  beforeAll(async () => {
    ensureWebClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    const start = new Date(Date.now() - 150 * DAY_MS).toISOString().slice(0, 10);
    const athletes = [...groupByAthlete(generateSyntheticFederation({ athletes: 6, days: 150, seed: 31, startDate: start })).values()];
    // The athlete with the most readiness reports: enough for the Plan screen's personal twin.
    rows = athletes.map((a) => a.filter((r) => r.date < localCalendarDate())).sort((a, b) => b.filter((r) => r.readiness !== null).length - a.filter((r) => r.readiness !== null).length)[0]!;
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness'), defaultTaskConfig('injury')], nodeAthletes: [] });
    coachBrowser = await launchChromium({ viewport: PHONE });
    athleteBrowser = await launchChromium({ viewport: PHONE });
    coach = coachBrowser.context.pages()[0] ?? (await coachBrowser.context.newPage());
    athlete = athleteBrowser.context.pages()[0] ?? (await athleteBrowser.context.newPage());
    for (const [who, p] of [['coach', coach], ['athlete', athlete]] as const) {
      await p.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective}`)));
      p.on('pageerror', (e) => problems.push(`${who} pageerror: ${e.message}`));
      p.on('console', (m) => void (m.type() === 'error' && !/Failed to load resource/.test(m.text()) && problems.push(`${who} console: ${m.text()}`)));
    }
    athlete.on('request', (r) => void (/\/api\/coach\/grants\/[^/]+\/summaries$/.test(new URL(r.url()).pathname) && summaryPosts.push(r.url())));
  }, 300_000);

  afterAll(async () => {
    await coachBrowser?.close();
    await athleteBrowser?.close();
    await fed?.close();
  });

  it('the operator creates a coach invite in the console, with its board link and QR code', async () => {
    await coach.goto(`${fed.url}/console/`);
    await coach.getByLabel('Analyst or admin token').fill(fed.adminToken);
    await coach.keyboard.press('Enter');
    await coach.getByRole('heading', { name: 'New coach invite' }).waitFor();
    await coach.getByLabel('Note (optional, stays on the server)').nth(1).fill('U19 head coach');
    await coach.getByRole('button', { name: 'Create coach invite' }).click();
    await coach.locator('#coach-invite-link').waitFor();
    joinUrl = await text(coach, '#coach-invite-link');
    expect(joinUrl).toMatch(new RegExp(`^${fed.url}/coach/#join\\?code=[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$`));
    expect(await coach.locator('#coach-invite-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await expect.poll(() => text(coach, '#coach-invites')).toMatch(/pending/);
    expect(await axeViolations(coach)).toEqual([]);
    await shot(coach, '1-console-invite');
  });

  it('the coach enrolls on the board; its code is the fingerprint of the key its device made', async () => {
    await coach.goto(joinUrl);
    await coach.getByRole('heading', { name: 'Enroll as a coach' }).waitFor();
    expect(await coach.getByLabel('Coach invite code').inputValue()).toBe(new URL(joinUrl).hash.split('code=')[1]);
    expect(await axeViolations(coach)).toEqual([]);
    await shot(coach, '2-enroll');
    await coach.getByRole('button', { name: 'Enroll this device as a coach' }).click();
    await coach.getByRole('heading', { name: 'Team board' }).waitFor();
    await coach.locator('#coach-code').waitFor();
    coachCode = await text(coach, '#coach-code');
    expect(coachCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    const [registered] = fed.store.coaches.listCoaches(Date.now());
    expect(formatPairingCode(coachFingerprint(registered!.boxPublicKey))).toBe(coachCode);
    expect(await text(coach, '#no-athletes')).toBe('No athlete shares a summary with you yet.');
    // The key is sealed at rest: IndexedDB holds the non-extractable device key and ciphertext records only.
    const stored = await coach.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('huddle-coach');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const req = open.result.transaction('records').objectStore('records').getAll();
            req.onsuccess = () => resolve(JSON.stringify(req.result.map((r: { id: string; data: Uint8Array }) => ({ id: r.id, data: Array.from(r.data, (c) => String.fromCharCode(c)).join('') }))));
          };
        }),
    );
    expect(stored).toContain('coach-identity');
    for (const needle of ['boxSecretKey', 'token', registered!.coachId]) expect(stored).not.toContain(needle);
    expect(await axeViolations(coach)).toEqual([]);
  });

  it('the athlete joins, imports a log, checks in, accepts a plan and pairs with the coach code; today\'s summary is sent, encrypted', async () => {
    const invite = await fed.invite();
    await athlete.goto(invite.joinUrl);
    await athlete.getByRole('heading', { name: 'Join your team' }).waitFor();
    await athlete.getByRole('button', { name: /join/i }).first().click();
    await athlete.getByRole('heading', { name: 'What you share' }).waitFor();
    await athlete.getByRole('link', { name: 'Log' }).click();
    await athlete.getByRole('heading', { name: 'Daily check-in' }).waitFor();
    await athlete.getByLabel('CSV file').setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(formatDailyLogCsv(rows)) });
    await athlete.getByRole('button', { name: `Import ${rows.length} days` }).click();
    await expect.poll(() => text(athlete, '#import-status')).toMatch(/^Imported/);
    await athlete.locator('#quick-fatigue').getByText('3', { exact: true }).click();
    await athlete.getByRole('button', { name: 'Save check-in' }).first().click();
    await expect.poll(() => text(athlete, '#quick-status')).toMatch(/^(Saved|Updated)/);
    await athlete.getByRole('link', { name: 'Plan' }).click();
    await athlete.getByRole('heading', { name: 'Plan your week' }).waitFor();
    await athlete.getByLabel('Largest weekly injury risk (%)').fill('3');
    await athlete.getByRole('button', { name: 'Recommend a plan' }).click();
    await athlete.locator('#plan-reasons li').first().waitFor({ timeout: 60_000 });
    plannedLoads = await athlete.locator('#plan-reasons li').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.load)));
    expect(plannedLoads).toHaveLength(7);
    await athlete.getByRole('button', { name: 'Accept this plan' }).click();
    await expect.poll(() => text(athlete, '#plan-status')).toMatch(/^Saved 7 planned days/);

    await athlete.getByRole('link', { name: 'Coaches' }).click();
    await athlete.getByRole('heading', { name: 'Coaches', exact: true }).waitFor();
    expect(await axeViolations(athlete)).toEqual([]);
    // A mistyped code is refused on the device with a clear message.
    await athlete.getByLabel('Coach code').fill('ABCD-EFGH');
    await athlete.getByLabel('Your name as the coach sees it').fill(ATHLETE_NAME);
    await athlete.getByRole('button', { name: 'Share with this coach' }).click();
    await expect.poll(() => text(athlete, '#coach-errors')).toMatch(/32 letters and digits/);
    await athlete.getByLabel('Coach code').fill(coachCode.toLowerCase());
    await athlete.getByRole('button', { name: 'Share with this coach' }).click();
    await expect.poll(() => text(athlete, '#coaches-status'), { timeout: 20_000 }).toMatch(/Paired: the coach’s key matches their code/);
    expect(await athlete.locator('.coach-share').count()).toBe(1);
    expect(await axeViolations(athlete)).toEqual([]);
    await shot(athlete, '3-athlete-coaches');
  });

  it('the board shows the summary: checked in, bands (or not enough evidence yet), planned week; axe-clean at phone and laptop widths', async () => {
    await coach.getByRole('button', { name: 'Refresh' }).click();
    const row = coach.locator('#team-today tbody tr');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    const cells = await row.first().locator('th, td').allTextContents();
    expect(cells).toEqual([ATHLETE_NAME, 'Yes', 'Not enough evidence yet', 'Not enough evidence yet']);
    const week = await coach.locator('article.athlete table.week tbody td').allTextContents();
    expect(week).toEqual(plannedLoads.map((l) => (Math.round(l) === 0 ? 'Rest' : String(Math.round(l)))));
    // The same safety code on both devices.
    expect(await text(coach, 'article.athlete .safety-code')).toBe(await text(athlete, '.coach-share .safety-code'));
    expect(await text(coach, '#alerts')).toContain('No band changed.');
    expect(await axeViolations(coach)).toEqual([]);
    const overflow = await coach.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 390.5).map((e) => `${e.tagName}.${e.className}#${e.id}`));
    expect(overflow).toEqual([]);
    await shot(coach, '4-board-phone');
    await coach.setViewportSize({ width: 1280, height: 900 });
    expect(await axeViolations(coach)).toEqual([]);
    await shot(coach, '5-board-laptop');
    await coach.setViewportSize(PHONE);
  });

  it('the coordinator\'s database holds only ciphertext of the summary', () => {
    const db = new Database(sqlite(), { readonly: true });
    try {
      const rows = db.prepare('SELECT ciphertext FROM coach_summaries').all() as { ciphertext: Buffer }[];
      expect(rows.length).toBeGreaterThanOrEqual(1);
      for (const r of rows) expect(r.ciphertext.length).toBe(SUMMARY_CIPHERTEXT_BYTES);
    } finally {
      db.close();
    }
    const bytes = Buffer.concat([readFileSync(sqlite()), existsSync(`${sqlite()}-wal`) ? readFileSync(`${sqlite()}-wal`) : Buffer.alloc(0)]);
    for (const needle of [ATHLETE_NAME, '"athleteName"', '"checkedIn"', '"sharingEndsOn"', '"plannedWeek"', 'not-enough-evidence']) expect(bytes.includes(Buffer.from(needle)), needle).toBe(false);
  });

  it('the athlete stops sharing: the coordinator deletes the ciphertexts, and the board gets nothing more', async () => {
    await athlete.getByRole('button', { name: 'Stop sharing' }).click();
    // Focus lands on Cancel, so a double Enter never stops sharing by accident.
    expect(await athlete.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await athlete.getByRole('button', { name: 'Yes, stop sharing with this coach' }).click();
    await expect.poll(() => text(athlete, '#coaches-status')).toMatch(/^Stopped\./);
    expect(fed.store.coaches.summaryCount()).toBe(0);
    expect(await text(athlete, '.coach-share')).toMatch(/Stopped on/);
    await shot(athlete, '6-athlete-stopped');
    // A new check-in after revocation sends the coach nothing.
    const before = summaryPosts.length;
    await athlete.getByRole('link', { name: 'Log' }).click();
    await athlete.getByRole('heading', { name: 'Daily check-in' }).waitFor();
    await athlete.locator('#quick-fatigue').getByText('4', { exact: true }).click();
    await athlete.getByRole('button', { name: 'Save check-in' }).first().click();
    await expect.poll(() => text(athlete, '#quick-status')).toMatch(/^(Saved|Updated)/);
    await athlete.waitForTimeout(500);
    expect(summaryPosts.length).toBe(before);
    expect(fed.store.coaches.summaryCount()).toBe(0);
    await coach.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => text(coach, '#board')).toContain('No athlete shares a summary with you yet.');
    expect(await axeViolations(coach)).toEqual([]);
    await shot(coach, '7-board-after-revoke');
    expect(problems).toEqual([]);
    expect(fed.serverErrors).toEqual([]);
  });
});
