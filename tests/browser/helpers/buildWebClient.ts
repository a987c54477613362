import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const WEB_CLIENT = join(ROOT, 'web-client');
export const DIST = join(WEB_CLIENT, 'dist');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

/** Everything bundled into the app: the web client and the workspace packages it imports. */
const INPUTS = [
  join(WEB_CLIENT, 'src'),
  join(WEB_CLIENT, 'public'),
  join(WEB_CLIENT, 'index.html'),
  join(WEB_CLIENT, 'vite.config.ts'),
  join(WEB_CLIENT, 'sw.template.js'),
  join(WEB_CLIENT, 'package.json'),
  join(ROOT, 'shared', 'src'),
  join(ROOT, 'client-sdk', 'src'),
];

/** Builds web-client/dist with Vite when it is missing or older than its sources. */
export function ensureWebClientBuilt(): { built: boolean; ms: number } {
  const marker = join(DIST, 'sw.js');
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const sources = Math.max(...INPUTS.map(newest));
  if (built > sources && existsSync(join(DIST, 'index.html'))) return { built: false, ms: 0 };
  const started = Date.now();
  const vite = join(WEB_CLIENT, 'node_modules', '.bin', 'vite');
  // NODE_ENV=production whatever the test runner set: a production bundle, as deployed.
  const r = spawnSync(vite, ['build', '--logLevel', 'warn'], { cwd: WEB_CLIENT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { built: true, ms: Date.now() - started };
}
