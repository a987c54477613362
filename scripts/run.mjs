#!/usr/bin/env node
// Entry for every root script. Needs only Node 20+ and npm: installs the workspace with pnpm (through
// npx) when needed, rebuilds the CLI bundles when a source changed (scripts/build.mjs), then runs the
// named job with the remaining arguments. A literal `--` (npm's separator) is dropped.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAll, buildDir, ENTRIES, root, upToDate } from './build.mjs';

const [job, ...rawArgs] = process.argv.slice(2);
const args = rawArgs.filter((a) => a !== '--');
const PNPM = ['--yes', 'pnpm@10'];
const bin = (name, dir = root) => join(dir, 'node_modules', '.bin', name);

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

function installed() {
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  if (!existsSync(marker)) return false;
  return !existsSync(lock) || statSync(lock).mtimeMs <= statSync(marker).mtimeMs + 1;
}

function ensureInstalled() {
  if (installed()) return;
  console.error('[huddle] installing the workspace (pnpm via npx; first time only)...');
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  const code = run('npx', [...PNPM, 'install', ...frozen]);
  if (code !== 0) process.exit(code);
}

async function ensureBuilt() {
  if (upToDate()) return;
  const ms = await buildAll();
  console.error(`[huddle] built the commands in ${(ms / 1000).toFixed(1)} s`);
}

/** Runs a built CLI in this process (one Node start-up, not two); it sees `node NAME.mjs ...args`. */
async function cli(name) {
  await ensureBuilt();
  const entry = join(buildDir, `${name}.mjs`);
  process.argv = [process.execPath, entry, ...args];
  await import(pathToFileURL(entry).href);
  return undefined; // the CLI exits by itself
}

const WEB_APP_INPUTS = ['web-client/src', 'web-client/public', 'web-client/index.html', 'web-client/sw.template.js', 'web-client/vite.config.ts', 'web-client/package.json', 'shared/src', 'client-sdk/src', 'pnpm-lock.yaml'];
const TYPECHECK_INPUTS = ['shared', 'client-sdk', 'coordinator', 'simulations', 'web-client/src', 'web-client/test', 'tests', 'tsconfig.json', 'tsconfig.base.json', 'vitest.config.ts', 'pnpm-lock.yaml'];

function buildWebApp() {
  return run(bin('vite', join(root, 'web-client')), ['build', '--logLevel', 'warn'], { cwd: join(root, 'web-client') });
}

/** Runs `step` only when one of `inputs` changed since its last success (content hash in node_modules/.cache). */
async function whenChanged(name, inputs, step, extraOk = () => true) {
  const { changedSince, recordStamp } = await import('./stamps.mjs');
  if (!changedSince(name, inputs) && extraOk()) {
    console.error(`[huddle] ${name}: sources unchanged since the last success, skipped`);
    return 0;
  }
  console.error(`[huddle] ${name}...`);
  const code = step();
  if (code === 0) recordStamp(name, inputs);
  return code;
}

function closingLines(report) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  const failedFiles = r.testResults.filter((f) => f.status !== 'passed').map((f) => f.name.replace(`${root}/`, ''));
  // One plain line that any CI log reader understands, then the test files that failed (a file that
  // fails to load or whose hook throws fails no test of its own).
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  console.log(`${r.testResults.length - failedFiles.length} test files passed, ${failedFiles.length} failed${failedFiles.length > 0 ? `: ${failedFiles.join(', ')}` : ''}`);
  return failedFiles.length;
}

const jobs = {
  demo: () => cli('demo'),
  coordinator: () => {
    // The coordinator serves the athletes' web app: build it once if this checkout has no build yet.
    if (!existsSync(join(root, 'web-client', 'dist', 'index.html')) && !['backup', 'restore', 'admin-token'].includes(args[0]) && !args.includes('--help') && !args.includes('-h')) {
      const built = buildWebApp();
      if (built !== 0) return built;
    }
    return cli('coordinator');
  },
  simulate: () => cli('simulate'),
  privacy: () => cli('privacy'),
  bench: () => cli('bench'),
  synth: () => cli('synth'),
  athletes: () => cli('athletes'),
  build: async () => {
    const ms = await buildAll();
    console.error(`[huddle] built ${Object.keys(ENTRIES).length} commands into ${buildDir} in ${(ms / 1000).toFixed(1)} s`);
    return 0;
  },
  typecheck: () => run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']),
  test: async () => {
    const chromium = run(process.execPath, [join(root, 'scripts', 'ensure-chromium.mjs')]);
    if (chromium !== 0) return chromium;
    const types = await whenChanged('typecheck', TYPECHECK_INPUTS, () => run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']));
    if (types !== 0) return types;
    const web = await whenChanged('web app build', WEB_APP_INPUTS, buildWebApp, () => existsSync(join(root, 'web-client', 'dist', 'index.html')));
    if (web !== 0) return web;
    await ensureBuilt(); // the docs test runs the built commands
    const report = join(root, 'node_modules', '.cache', 'vitest-results.json');
    rmSync(report, { force: true });
    const code = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);
    if (!existsSync(report)) return code || 1;
    const failedFiles = closingLines(report);
    return code !== 0 ? code : failedFiles > 0 ? 1 : 0;
  },
};

if (!job || !(job in jobs)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(jobs).join('|')}> [args]`);
  process.exit(2);
}
ensureInstalled();
const code = await jobs[job]();
if (code !== undefined) process.exit(code);
