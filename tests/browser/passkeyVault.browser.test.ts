/**
 * The athlete app's vault key wrapped under a passkey (WebAuthn PRF), in Chromium with its virtual authenticator
 * (CDP `WebAuthn`, `hasPrf`), against a live coordinator: set on the join screen before anything is sealed, a reload
 * is locked, the passkey unlocks, no 32 bytes of the profile's IndexedDB files open a record, the enrollment signs
 * after unlocking, removal goes back to the browser-held key; set again from Your data, a passkey that does not
 * verify the athlete is refused and changes nothing. Every passkey the app stops using (removed, erased, or made on an
 * authenticator without PRF) is deleted from the authenticator through the WebAuthn Signal API.
 */
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { launchChromium, type LaunchedChromium } from '../helpers/chromium.ts';
import { axeViolations } from './helpers/axe.ts';
import { DIST, ensureWebClientBuilt } from './helpers/buildWebClient.ts';
import { keysOnDisk, readStore } from './helpers/vaultStore.ts';
import { startWebFederation, type WebFederation } from './helpers/webFederation.ts';

const AUTHENTICATOR = { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, hasPrf: true, automaticPresenceSimulation: true };

/** WebAuthn refuses a bare IP address as the relying party: the app is opened at localhost, as at a domain name. */
const atLocalhost = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

async function addAuthenticator(cdp: CDPSession, options: object = AUTHENTICATOR): Promise<string> {
  const { authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options } as never)) as { authenticatorId: string };
  return authenticatorId;
}

/** The passkeys the virtual authenticator holds (a forgotten one is deleted through the WebAuthn Signal API). */
async function passkeysOn(cdp: CDPSession, authenticatorId: string): Promise<number> {
  const { credentials } = (await cdp.send('WebAuthn.getCredentials', { authenticatorId } as never)) as { credentials: unknown[] };
  return credentials.length;
}

describe('the vault key under a passkey, in Chromium', () => {
  let fed: WebFederation;
  let browser: LaunchedChromium;
  let page: Page;
  let cdp: CDPSession;
  let authenticator = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureWebClientBuilt();
    fed = await startWebFederation({ dist: DIST, tasks: [defaultTaskConfig('readiness')], nodeAthletes: [] });
    browser = await launchChromium({ viewport: { width: 390, height: 844 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => problems.push(e.message));
    cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    authenticator = await addAuthenticator(cdp);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await fed?.close();
  });

  it('set on the join screen: a reload is locked, the passkey unlocks, and nothing on disk opens a record', async () => {
    const invite = await fed.invite();
    await page.goto(atLocalhost(invite.joinUrl));
    await page.getByText('Protect this device with a passphrase first (optional)').click();
    expect((await readStore(page)).count).toBe(0);
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}; the card said: ${await page.locator('#passphrase-status').textContent()}`);
    });
    expect(await page.locator('main').textContent()).toMatch(/only your passkey opens/);
    expect(await axeViolations(page)).toEqual([]);
    const locked = await readStore(page);
    expect(locked.keys.map((k) => [k.id, k.isCryptoKey, k.wrapped?.kdf])).toEqual([['wrapped', false, 'webauthn-prf']]);
    expect(await passkeysOn(cdp, authenticator)).toBe(1);

    await page.getByRole('button', { name: 'Unlock with your passkey' }).click();
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor({ timeout: 30_000 });
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    // The worker got the unlocked key: it signs with the sealed enrollment key and the coordinator accepts it.
    await expect.poll(() => page.locator('#connection').textContent(), { timeout: 30_000 }).toBe('Connected to the team server');
    await fed.coordinator.waitForClients('readiness', 1, 30_000);
    const store = await readStore(page);
    expect(store.count).toBeGreaterThanOrEqual(1);
    for (const record of store.all) expect(keysOnDisk(browser.userDataDir, record)).toEqual([]);
  });

  it('removing the passkey asks for it, goes back to the browser-held key, and the authenticator forgets the passkey', async () => {
    await page.getByRole('link', { name: 'Your data', exact: true }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    expect(await page.locator('#passphrase-state').textContent()).toMatch(/^On, with a passkey\./);
    await page.getByRole('button', { name: 'Remove passkey' }).click();
    await page.waitForURL(/#\/privacy/);
    await expect.poll(() => page.locator('#passphrase-state').textContent(), { timeout: 60_000 }).toMatch(/^Off\./);
    expect((await readStore(page)).keys).toEqual([{ id: 'device', isCryptoKey: true, wrapped: null }]);
    await expect.poll(() => passkeysOn(cdp, authenticator)).toBe(0);
  });

  it('set again from Your data; a passkey that does not verify the athlete then opens nothing, and nothing changes', async () => {
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock your data' }).waitFor({ timeout: 60_000 });
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId: authenticator, isUserVerified: false } as never);
    const before = await readStore(page);
    expect(before.keys.map((k) => k.wrapped?.kdf)).toEqual(['webauthn-prf']);
    await page.getByRole('button', { name: 'Unlock with your passkey' }).click();
    await expect.poll(() => page.locator('#unlock-status').textContent(), { timeout: 30_000 }).toMatch(/did not answer.*Nothing was changed/);
    expect(await axeViolations(page)).toEqual([]);
    const after = await readStore(page);
    expect(after.keys).toEqual(before.keys);
    expect(after.all).toEqual(before.all);
    expect(await passkeysOn(cdp, authenticator)).toBe(1);
    expect(problems).toEqual([]);
  });

  it('erasing from the lock screen (a lost passkey) forgets the passkey too', async () => {
    await page.getByText('Lost your passkey?').click();
    await page.getByRole('button', { name: 'Erase this device’s data' }).click();
    await page.getByRole('button', { name: 'Yes, erase it' }).click();
    await expect.poll(() => passkeysOn(cdp, authenticator)).toBe(0);
    await expect.poll(async () => (await readStore(page)).keys.map((k) => k.wrapped?.kdf ?? null)).not.toContain('webauthn-prf');
    expect(problems).toEqual([]);
  });

  it('an authenticator without PRF is refused with a clear message, and the passkey it made is forgotten', async () => {
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: authenticator } as never);
    const noPrf = await addAuthenticator(cdp, { ...AUTHENTICATOR, hasPrf: false });
    const invite = await fed.invite();
    await page.goto(atLocalhost(invite.joinUrl));
    await page.getByText('Protect this device with a passphrase first (optional)').click();
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await expect.poll(() => page.locator('#passphrase-status').textContent(), { timeout: 30_000 }).toMatch(/cannot derive a key.*Nothing was changed/);
    expect(await passkeysOn(cdp, noPrf)).toBe(0);
    expect((await readStore(page)).keys.map((k) => k.wrapped?.kdf ?? null)).not.toContain('webauthn-prf');
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: noPrf } as never);
    expect(problems).toEqual([]);
  });

  it('erasing everything from Your data leaves no passkey behind', async () => {
    authenticator = await addAuthenticator(cdp);
    const invite = await fed.invite();
    await page.goto(atLocalhost(invite.joinUrl));
    await page.reload();
    await page.getByText('Protect this device with a passphrase first (optional)').click();
    await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock with your passkey' }).click();
    await page.getByRole('button', { name: 'Join' }).click();
    await page.getByRole('heading', { name: 'What you share' }).waitFor({ timeout: 30_000 });
    await page.getByLabel(/Readiness model/).check();
    await page.getByRole('button', { name: 'Save my choices' }).click();
    expect(await passkeysOn(cdp, authenticator)).toBe(1);
    await page.getByRole('link', { name: 'Your data', exact: true }).click();
    await page.getByRole('button', { name: 'Erase everything' }).click();
    await page.getByRole('button', { name: 'Yes, erase everything' }).click();
    await page.getByRole('heading', { name: 'Everything is erased' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => passkeysOn(cdp, authenticator)).toBe(0);
    expect(problems).toEqual([]);
  });
});
