import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (never a downloaded browser); `npm test` installs it or says how. */
export const CHROMIUM_PATH = [process.env.HUDDLE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface LaunchedChromium {
  context: BrowserContext;
  /** The profile directory (its IndexedDB files can be inspected on disk). */
  userDataDir: string;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh user-data dir, removed on close. Fails clearly when Chromium is missing. */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<LaunchedChromium> {
  if (!CHROMIUM_PATH) throw new Error('Chromium not found: run the tests through `npm test` (it installs Debian\'s chromium) or set HUDDLE_CHROMIUM');
  const userDataDir = mkdtempSync(join(tmpdir(), 'huddle-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_FLAGS,
    ...(options.viewport ? { viewport: options.viewport, deviceScaleFactor: 1 } : {}),
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
