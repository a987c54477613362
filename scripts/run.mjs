#!/usr/bin/env node
// Entry for every root script. Needs only Node 20+ and npm: installs the workspace with pnpm
// (through npx) when needed, then runs the named job with the remaining arguments.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [job, ...rawArgs] = process.argv.slice(2);
const args = rawArgs.filter((a) => a !== '--');
const PNPM = ['--yes', 'pnpm@10'];

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

const tsx = (entry, extra = []) => run(process.execPath, ['--import', 'tsx', join(root, entry), ...extra]);

const jobs = {
  demo: () => tsx('simulations/src/demo/cli.ts', args),
  coordinator: () => {
    // The coordinator serves the athletes' web app: build it once if this checkout has no build yet.
    if (!existsSync(join(root, 'web-client', 'dist', 'index.html')) && !['backup', 'restore', 'admin-token'].includes(args[0])) {
      const built = run('npx', [...PNPM, '--filter', '@huddle/web-client', 'run', 'build']);
      if (built !== 0) return built;
    }
    return tsx('coordinator/src/cli.ts', args);
  },
  simulate: () => tsx('simulations/src/cli/simulate.ts', args),
  privacy: () => tsx('simulations/src/cli/privacy.ts', args),
  bench: () => tsx('simulations/src/bench/cli.ts', args),
  synth: () => tsx('simulations/src/cli/synth.ts', args),
  plan: () => tsx('simulations/src/cli/plan.ts', args),
  typecheck: () => run(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json']),
  test: () => {
    const chromium = run(process.execPath, [join(root, 'scripts', 'ensure-chromium.mjs')]);
    if (chromium !== 0) return chromium;
    console.error('[huddle] typechecking...');
    const types = run(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', 'tsconfig.json']);
    if (types !== 0) return types;
    const build = run('npx', [...PNPM, '--filter', '@huddle/web-client', 'run', '--if-present', 'build']);
    if (build !== 0) return build;
    const report = join(root, 'node_modules', '.cache', 'vitest-results.json');
    const code = run(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args]);
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, 'utf8'));
      // One plain closing line that any CI log reader understands.
      console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests + r.numTodoTests > 0 ? `, ${r.numPendingTests + r.numTodoTests} skipped` : ''}`);
    }
    return code;
  },
};

if (!job || !(job in jobs)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(jobs).join('|')}> [args]`);
  process.exit(2);
}
ensureInstalled();
process.exit(jobs[job]());
