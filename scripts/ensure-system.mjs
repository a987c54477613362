#!/usr/bin/env node
// The test suite uses real system services, all from Debian's packages (never a downloaded binary):
// Chromium for the browser tests, PostgreSQL and Redis for the scale-out tests (started by the tests
// themselves on loopback). Finds them, or installs the missing ones in one apt-get call when running
// as root; otherwise names what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const chromiumPaths = [process.env.HUDDLE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
const hasPostgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')));
const needs = [
  { pkg: 'chromium', present: () => chromiumPaths.some((p) => existsSync(p)) },
  { pkg: 'postgresql', present: hasPostgres },
  { pkg: 'redis-server', present: () => existsSync('/usr/bin/redis-server') || existsSync('/usr/local/bin/redis-server') },
];

let missing = needs.filter((n) => !n.present());
if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    const pkgs = missing.map((n) => n.pkg);
    console.error(`[huddle] installing ${pkgs.join(', ')} from Debian packages for the tests...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  missing = needs.filter((n) => !n.present());
}
if (missing.length > 0) {
  console.error(`[huddle] the tests need ${missing.map((n) => n.pkg).join(', ')}: install them (Debian/Ubuntu: apt-get install ${missing.map((n) => n.pkg).join(' ')})${missing.some((n) => n.pkg === 'chromium') ? ', or set HUDDLE_CHROMIUM to a Chromium binary' : ''}.`);
  process.exit(1);
}
console.error(`[huddle] Chromium: ${chromiumPaths.find((p) => existsSync(p))}; PostgreSQL and Redis: installed`);
