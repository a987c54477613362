#!/usr/bin/env node
// Browser tests drive Debian's Chromium (never a downloaded browser). Finds it, or installs the
// `chromium` package when running as root with apt-get; otherwise says the one prerequisite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.HUDDLE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
const found = () => candidates.find((p) => existsSync(p));

if (!found()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    console.error('[huddle] installing Chromium from Debian packages for the browser tests...');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
const path = found();
if (!path) {
  console.error('[huddle] the browser tests need Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set HUDDLE_CHROMIUM to its path.');
  process.exit(1);
}
console.error(`[huddle] Chromium: ${path}`);
