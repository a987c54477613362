/**
 * The web vault's key at rest, in Chromium, against a live coordinator: by default the vault key's raw bytes are in
 * the profile's IndexedDB files (the audit's finding, reproduced: some 32 bytes on disk open a sealed record); with a
 * passphrase, no bytes on disk open the records and the key's raw bytes (derived here from the passphrase, as an
 * attacker who knew it would) appear nowhere in the profile. Reload locks; a wrong passphrase is refused and changes
 * nothing; the right one unlocks the log and the enrollment; change and removal re-key.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete } from '@huddle/shared/log';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { unwrapVaultKeyBytes, type WrappedVaultKey } from '../../web-client/src/storage/keyWrap.ts';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt, ROOT } from './helpers/buildWebClient.ts';
import { filesUnder, keysOnDisk, opens, readStore, type RawWrapped } from './helpers/vaultStore.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const ARTIFACTS = join(ROOT, 'tests', 'artifacts');
const PASSPHRASE = 'tidal orbit lantern meadow';
const NEW_PASSPHRASE = 'granite koala whistle seven';

/** The vault key's raw bytes, unwrapped from the stored wrapping with the passphrase, as someone who knew it would. */
async function unwrapWithPassphrase(w: RawWrapped, passphrase: string): Promise<Buffer> {
  const wrapped: WrappedVaultKey = { kdf: 'argon2id', memoryKiB: w.memoryKiB, iterations: w.iterations, parallelism: w.parallelism, salt: new Uint8Array(w.salt), iv: new Uint8Array(w.iv), data: new Uint8Array(w.data) };
  return Buffer.from(await unwrapVaultKeyBytes(wrapped, passphrase));
}

describe('the vault key at rest, in Chromium', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  let days = 0;
  let clientId = '';
  const problems: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `vault-${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureWebClientBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness')], nodeAthletes: [] });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => problems.push(e.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('by default, the key that opens the records is in the profile’s IndexedDB files', async () => {
    const invite = await fed.invite();
    await page.goto(invite.joinUrl);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor();
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Connected to the team server');
    clientId = (await fed.clientIdOfInvite(invite.id))!;
    const rows = [...groupByAthlete(generateSyntheticFederation({ athletes: 1, days: 30, seed: 5, startDate: '2024-01-01' })).values()][0]!;
    days = rows.length;
    await page.goto(`${fed.url}/#/log`);
    await page.getByLabel('CSV file').setInputFiles({ name: 'log.csv', mimeType: 'text/csv', buffer: Buffer.from(formatDailyLogCsv(rows)) });
    await page.getByRole('button', { name: `Import ${days} days` }).click();
    await expect.poll(() => page.locator('#import-status').textContent()).toMatch(new RegExp(`Imported ${days} days`));
    const store = await readStore(page);
    expect(store.keys).toEqual([{ id: 'device', isCryptoKey: true, wrapped: null }]);
    // The audit's finding: the "non-extractable" key's bytes are readable from disk by anyone holding the files.
    await expect.poll(() => keysOnDisk(browser.userDataDir, store.smallest).length, { timeout: 20_000 }).toBeGreaterThan(0);
  });

  it('with a passphrase, a reload is locked and no bytes on disk open the data', async () => {
    const old = (await readStore(page)).smallest;
    await page.goto(`${fed.url}/#/privacy`);
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    expect(await page.locator('#passphrase-state').textContent()).toMatch(/^Off\./);
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByLabel('Type it again').fill('short');
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    expect(await page.locator('#passphrase-status').textContent()).toMatch(/at least 8 characters/);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Type it again').fill(PASSPHRASE);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Set passphrase' }).click();
    // Setting it re-encrypts everything and reloads: the app now starts locked.
    await page.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('nav a').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toMatch(/days logged|Enrolled/);
    expect(await axeViolations(page)).toEqual([]);
    await shot('1-locked');

    const store = await readStore(page);
    expect(store.keys.map((k) => [k.id, k.isCryptoKey])).toEqual([['wrapped', false]]);
    expect(store.count).toBeGreaterThanOrEqual(days + 2);
    const raw = await unwrapWithPassphrase(store.keys[0]!.wrapped as unknown as RawWrapped, PASSPHRASE);
    expect(opens(raw, store.smallest)).toBe(true);
    // Neither the raw key nor any other 32 bytes of the profile's IndexedDB files open the current records.
    const everyFile = filesUnder(browser.userDataDir);
    expect(everyFile.length).toBeGreaterThan(0);
    for (const f of everyFile) if (existsSync(f)) expect(readFileSync(f).indexOf(raw), f).toBe(-1);
    expect(keysOnDisk(browser.userDataDir, store.smallest)).toEqual([]);
    // Measured, not asserted (docs/vault.md): LevelDB may still hold the replaced device key and the records it
    // sealed until it compacts its files; the re-keying cannot force that.
    console.log(`vault: 32-byte windows on disk still opening a record sealed before the passphrase: ${keysOnDisk(browser.userDataDir, old).length}`);
  });

  it('refuses a wrong passphrase with a clear message and changes nothing; the right one unlocks log and enrollment', async () => {
    const before = await readStore(page);
    await page.getByLabel('Passphrase').fill('tidal orbit lantern meadows');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#unlock-status').textContent(), { timeout: 30_000 }).toMatch(/does not unlock this device’s data\. Nothing was changed/);
    expect(await page.getByLabel('Passphrase').getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await shot('2-wrong-passphrase');
    const after = await readStore(page);
    expect(after.keys).toEqual(before.keys);
    expect(after.all).toEqual(before.all);

    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    // Unlocked where the reload happened.
    await page.getByRole('heading', { name: 'Your data' }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Log', exact: true }).click();
    await expect.poll(() => page.locator('#recent-days').textContent()).toContain(`${days} days logged`);
    // The worker got the unlocked key too: it signs with the sealed enrollment key and the coordinator accepts it.
    await page.getByRole('link', { name: 'Your data', exact: true }).click();
    expect(await page.locator('#enrolled-as').textContent()).toContain(clientId);
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Connected to the team server');
    await fed.coordinator.waitForClients('readiness', 1, 30_000);
  });

  it('set on the join screen, before anything is sealed, leaves nothing on disk that opens any record', async () => {
    const second = await launchChromium({ viewport: { width: 390, height: 844 } });
    try {
      const p = second.context.pages()[0] ?? (await second.context.newPage());
      const invite = await fed.invite();
      await p.goto(invite.joinUrl);
      await p.getByText('Protect this device with a passphrase first (optional)').click();
      expect((await readStore(p)).count).toBe(0);
      await p.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await p.getByLabel('Type it again').fill(PASSPHRASE);
      await p.getByRole('button', { name: 'Set passphrase' }).click();
      await p.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 });
      await p.getByLabel('Passphrase').fill(PASSPHRASE);
      await p.getByRole('button', { name: 'Unlock' }).click();
      // Back on the join link, code kept: join, then every record (the enrollment secret among them) is sealed.
      await p.getByRole('button', { name: 'Join' }).click();
      await p.getByRole('heading', { name: 'What you share' }).waitFor({ timeout: 30_000 });
      const store = await readStore(p);
      expect(store.keys.map((k) => k.id)).toEqual(['wrapped']);
      expect(store.count).toBeGreaterThanOrEqual(1);
      for (const record of store.all) expect(keysOnDisk(second.userDataDir, record)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('changes the passphrase (the old one no longer opens anything), then removes it', async () => {
    expect(await page.locator('#passphrase-state').textContent()).toMatch(/^On\./);
    await page.getByLabel('Current passphrase').fill('not the passphrase');
    await page.getByLabel('New passphrase').fill(NEW_PASSPHRASE);
    await page.getByLabel('Type it again').fill(NEW_PASSPHRASE);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect.poll(() => page.locator('#passphrase-status').textContent(), { timeout: 30_000 }).toMatch(/current passphrase is not right\. Nothing was changed/);
    await page.getByLabel('Current passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await page.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.locator('#unlock-status').textContent(), { timeout: 30_000 }).toMatch(/does not unlock/);
    await page.getByLabel('Passphrase').fill(NEW_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor({ timeout: 30_000 });
    await page.getByLabel('Current passphrase').fill(NEW_PASSPHRASE);
    await page.getByRole('button', { name: 'Remove passphrase' }).click();
    // Reloads straight into the app: the key is the browser-held one again.
    await page.waitForURL(/#\/privacy/);
    await expect.poll(() => page.locator('#passphrase-state').textContent(), { timeout: 60_000 }).toMatch(/^Off\./);
    const store = await readStore(page);
    expect(store.keys).toEqual([{ id: 'device', isCryptoKey: true, wrapped: null }]);
    await page.getByRole('link', { name: 'Log', exact: true }).click();
    await expect.poll(() => page.locator('#recent-days').textContent()).toContain(`${days} days logged`);
    expect(problems).toEqual([]);
  });
});
