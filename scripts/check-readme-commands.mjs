#!/usr/bin/env node
// Runs every `npm run ...` line of the ```sh blocks in README.md, docs/*.md and the packages' READMEs,
// as a reader would paste it into a shell (from the folder the README belongs to), and checks it exits 0.
// - Quick commands (--help, privacy, synth) run as written; outputs (--out, --report) go to a temp folder.
// - simulate runs with tiny settings (1 round, at most 8 athletes), which still parses every flag.
// - Long-running ones (coordinator, demo, athletes) are started, must print their ready line, then are stopped.
// - Lines that need a file only the reader has (a TLS certificate, a sweep grid) or that run for minutes
//   (benchmarks other than `bench cli`, the test suite itself) are listed as skipped, with the reason.
// Usage: node scripts/check-readme-commands.mjs [--json] [--list] [--file README.md]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOCS = ['README.md', 'simulations/README.md', 'web-client/README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Every `npm run` line of the ```sh blocks of `file`, comments and `[optional]` parts removed. */
export function extractCommands(file) {
  const text = readFileSync(join(root, file), 'utf8');
  const commands = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const raw of block[1].split('\n')) {
      const line = raw.replace(/\s+#.*$/, '').replace(/\s*\[[^\]]*\]/g, '').trim();
      if (line.startsWith('npm run ')) commands.push({ file, line, cwd: dirname(join(root, file)) === join(root, 'docs') ? root : dirname(join(root, file)) });
    }
  }
  return commands;
}

const words = (line) => line.split(/\s+/);
const argsOf = (line) => {
  const w = words(line);
  const dash = w.indexOf('--');
  return { script: w[2], args: dash < 0 ? w.slice(3) : w.slice(dash + 1) };
};

/** How a command is checked: { kind: 'run' | 'start' | 'skip', line (possibly rewritten), ready?, reason? }. */
export function plan(command, ctx) {
  const { script, args } = argsOf(command.line);
  const has = (flag) => args.includes(flag);
  const set = (list, flag, value) => {
    const i = list.indexOf(flag);
    if (i >= 0) list[i + 1] = value;
    else list.push(flag, value);
    return list;
  };
  const capped = (list, flag, max) => {
    const i = list.indexOf(flag);
    if (i >= 0 && Number(list[i + 1]) > max) list[i + 1] = String(max);
    return list;
  };
  const outputs = (list) => {
    for (const flag of ['--out', '--report']) {
      const i = list.indexOf(flag);
      if (i >= 0 && list[i + 1] !== '-') list[i + 1] = join(ctx.tmp, basename(list[i + 1]));
    }
    return list;
  };
  const line = (list) => `npm run ${script} -- ${list.join(' ')}`;
  if (has('--help') || has('-h')) return { kind: 'run', line: command.line };
  if (/\$[A-Z]|<[a-z]/.test(command.line) && script !== 'athletes') return { kind: 'skip', reason: 'has a placeholder for the reader to fill in' };
  switch (script) {
    case 'privacy':
      return { kind: 'run', line: command.line };
    case 'synth':
      return { kind: 'run', line: line(capped(capped(outputs([...args]), '--athletes', 5), '--days', 60)) };
    case 'simulate': {
      if (args[0] === 'sweep') return { kind: 'skip', reason: 'needs a sweep grid file of your own' };
      const a = outputs([...args]);
      const dataset = a[a.indexOf('--dataset') + 1];
      if (a.includes('--dataset') && dataset.endsWith('.csv') && !existsSync(join(command.cwd, dataset))) set(a, '--dataset', ctx.csv);
      set(a, '--rounds', '1');
      set(a, '--athletes', String(Math.min(8, Number(a[a.indexOf('--athletes') + 1]) || 8)));
      set(a, '--clients-per-round', String(Math.min(4, Number(a[a.indexOf('--clients-per-round') + 1]) || 4)));
      capped(a, '--personalize-epochs', 1);
      if (!a.includes('--dataset') || a[a.indexOf('--dataset') + 1] === 'synthetic') set(a, '--days', '120');
      return { kind: 'run', line: line(a) };
    }
    case 'bench':
      return args[0] === 'cli' ? { kind: 'run', line: line([...args, '--runs', '1']) } : { kind: 'skip', reason: 'benchmark (runs for minutes)' };
    case 'coordinator': {
      if (has('--tls-cert')) return { kind: 'skip', reason: 'needs your TLS certificate and key' };
      const a = [...args];
      if (a[0] === 'backup' || a[0] === 'restore' || a[0] === 'admin-token') {
        set(a, '--data-dir', ctx.dataDir);
        if (a[0] === 'backup') set(a, '--out', join(ctx.tmp, 'backups', basename(a[a.indexOf('--out') + 1] ?? 'huddle.sqlite')));
        else if (a[0] === 'restore') set(a, '--from', join(ctx.tmp, 'backups', basename(a[a.indexOf('--from') + 1])));
        return { kind: 'run', line: line(a), after: 'coordinator' };
      }
      set(set(a, '--port', '0'), '--data-dir', ctx.dataDir);
      return { kind: 'start', line: line(a), ready: /coordinator listening/, captureAdmin: true };
    }
    case 'demo': {
      const a = set([...args], '--data-dir', join(ctx.tmp, 'demo'));
      set(a, '--athletes', String(Math.min(4, Number(a[a.indexOf('--athletes') + 1]) || 4)));
      set(a, '--days', '120');
      return { kind: 'start', line: line(a), ready: /^\s+1\s+injury\s/m };
    }
    case 'athletes': {
      const a = [...args];
      set(a, '--coordinator', ctx.coordinatorUrl ?? 'http://127.0.0.1:1');
      if (a.includes('--invites')) return { kind: 'skip', reason: 'needs invite codes made on your coordinator' };
      set(a, '--admin-token', ctx.adminToken ?? 'none');
      capped(a, '--count', 3);
      set(a, '--days', '120');
      return { kind: 'start', line: line(a), ready: /synthetic athletes enrolled and connected/, needsCoordinator: true };
    }
    case 'test':
    case 'typecheck':
    case 'build':
      return { kind: 'skip', reason: 'the suite / build itself' };
    default:
      return { kind: 'run', line: command.line };
  }
}

function runLine(line, cwd, { ready, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `exec ${line}`], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let settled = false;
    const exited = new Promise((r) => child.once('exit', r));
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
      // Stopped means stopped: the next command may use the same data directory.
      void Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]).then(() => resolve({ ...result, output }));
    };
    const timer = setTimeout(() => finish({ ok: false, error: `no ${ready ? 'ready line' : 'exit'} within ${timeoutMs / 1000} s` }), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      if (ready && ready.test(output)) finish({ ok: true });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (ready) finish({ ok: false, error: `exited with ${code} before its ready line` });
      else finish(code === 0 ? { ok: true } : { ok: false, error: `exited with ${code}` });
    });
  });
}

export async function checkAll({ onResult = () => {}, files = DOCS } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'huddle-readme-'));
  const ctx = { tmp, dataDir: join(tmp, 'federation-data'), csv: join(tmp, 'my-team.csv'), coordinatorUrl: null, adminToken: null };
  const results = [];
  let coordinator = null;
  try {
    // The simulator's `--dataset my-team.csv` stands for the reader's own file: a small synthetic one here.
    await runLine(`npm run synth -- --athletes 8 --days 120 --out ${ctx.csv}`, root, { timeoutMs: 60_000 });
    const commands = files.filter((f) => existsSync(join(root, f))).flatMap(extractCommands).map((c, index) => ({ ...c, index }));
    // Two lanes side by side: the coordinator's lines in order (backup and restore need the data directory
    // the first one made; athletes need a coordinator), and everything else.
    const script = (c) => argsOf(c.line).script;
    const serverLane = commands.filter((c) => script(c) === 'coordinator' || script(c) === 'athletes').sort((a, b) => Number(script(a) === 'athletes') - Number(script(b) === 'athletes'));
    const otherLane = commands.filter((c) => !serverLane.includes(c));
    const runLane = async (lane) => {
      for (const command of lane) {
        const p = plan(command, ctx);
        if (p.kind === 'skip') {
          record({ ...command, status: 'skipped', reason: p.reason });
          continue;
        }
        if (p.needsCoordinator && !coordinator) {
          coordinator = await startCoordinator(ctx);
          p.line = plan(command, ctx).line;
        }
        const same = results.find((r) => r.ran === p.line && r.cwd === command.cwd);
        if (same) {
          record({ ...command, ran: p.line, status: same.status, seconds: 0, sameAs: same.file });
          continue;
        }
        const t0 = performance.now();
        const r = await runLine(p.line, command.cwd, { ready: p.ready, timeoutMs: p.kind === 'start' ? 120_000 : 90_000 });
        if (p.captureAdmin && !ctx.adminToken) ctx.adminToken = /Admin token[^:]*: (\S+)/.exec(r.output)?.[1] ?? null;
        record({ ...command, ran: p.line, status: r.ok ? 'passed' : 'failed', seconds: Math.round((performance.now() - t0) / 100) / 10, ...(r.ok ? {} : { error: r.error, output: r.output.slice(-2000) }) });
      }
    };
    const record = (r) => {
      results.push(r);
      onResult(r);
    };
    await Promise.all([runLane(serverLane), runLane(otherLane)]);
    results.sort((a, b) => a.index - b.index);
  } finally {
    coordinator?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

/** A coordinator for `npm run athletes` lines, on a free port of its own data directory. */
async function startCoordinator(ctx) {
  const dataDir = join(ctx.tmp, 'athletes-coordinator');
  const child = spawn(process.execPath, [join(root, 'scripts', 'run.mjs'), 'coordinator', '--port', '0', '--data-dir', dataDir, '--clients-per-round', '3', '--min-clients', '3'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coordinator did not start:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      const url = /"url":"([^"]+)"/.exec(output)?.[1];
      const token = /Admin token[^:]*: (\S+)/.exec(output)?.[1];
      if (url && token) {
        clearTimeout(timer);
        ctx.coordinatorUrl = url;
        ctx.adminToken = token;
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  return { stop: () => process.kill(-child.pid, 'SIGTERM') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const json = process.argv.includes('--json');
  if (process.argv.includes('--list')) {
    for (const f of DOCS.filter((d) => existsSync(join(root, d)))) for (const c of extractCommands(f)) console.log(`${c.file}: ${c.line}`);
    process.exit(0);
  }
  const only = process.argv.indexOf('--file');
  const results = await checkAll({
    ...(only > 0 ? { files: [process.argv[only + 1]] } : {}),
    onResult: (r) => {
      if (!json) console.error(`${r.status.padEnd(7)} ${r.file}: ${r.line}${r.reason ? ` (${r.reason})` : ''}${r.error ? `\n        ${r.error}\n${r.output}` : ''}`);
    },
  });
  if (json) console.log(JSON.stringify(results));
  const failed = results.filter((r) => r.status === 'failed').length;
  console.error(`${results.filter((r) => r.status === 'passed').length} passed, ${failed} failed, ${results.filter((r) => r.status === 'skipped').length} skipped`);
  process.exit(failed > 0 ? 1 : 0);
}
