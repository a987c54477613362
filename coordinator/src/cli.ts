import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { TASK_IDS, type TaskId } from '@huddle/shared/model';
import { defaultTaskConfig, taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';
// The server, scheduler and backup code (tfjs, express, socket.io, SQLite) load only once a command
// needs them, so `--help` and usage errors answer at once.

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

async function maintenance(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const program = new Command(`coordinator ${verb}`)
    .requiredOption('--data-dir <dir>', 'the coordinator data directory')
    .option(verb === 'backup' ? '--out <file>' : '--from <file>', verb === 'backup' ? 'where to write the backup' : 'the backup to restore')
    .exitOverride();
  try {
    program.parse(rest, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ dataDir: string; out?: string; from?: string }>();
  const { backupDataDir, restoreDataDir } = await import('./ops/backup.ts');
  if (verb === 'backup') {
    const out = o.out ?? `huddle-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`;
    await backupDataDir(resolve(o.dataDir), resolve(out));
    process.stdout.write(`backup written to ${resolve(out)}\n`);
    return 0;
  }
  if (!o.from) {
    process.stderr.write('restore needs --from <file>\n');
    return 2;
  }
  restoreDataDir(resolve(o.dataDir), resolve(o.from));
  process.stdout.write(`restored ${resolve(o.from)} into ${resolve(o.dataDir)}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args[0] === 'backup' || args[0] === 'restore') return maintenance(args);
  const program = new Command('coordinator')
    .description('Huddle coordinator: runs federated rounds for the injury and readiness tasks. Maintenance: `coordinator backup --data-dir D [--out F]`, `coordinator restore --data-dir D --from F`')
    .option('--port <n>', 'port to listen on', int(0), 8080)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'where checkpoints and round history live', './federation-data')
    .option('--tasks <list>', 'comma-separated tasks to host', 'injury,readiness')
    .option('--rounds <n>', 'rounds per task, then idle (default: run until stopped)', int(1))
    .option('--clients-per-round <n>', 'updates to wait for per round', int(1), 5)
    .option('--min-clients <n>', 'fewest updates a round may aggregate', int(1), 3)
    .option('--round-timeout <ms>', 'round deadline in milliseconds', int(100), 60_000)
    .option('--task-config <file>', 'JSON object of per-task settings, e.g. {"injury": {"privacy": {...}}}; overrides the flags above')
    .option('--open', 'let any client id join without enrollment (demos and closed research networks only)')
    .option('--public-url <url>', 'base URL of invite join links, e.g. https://huddle.example.org')
    .option('--web-app <dir>', 'built athlete web app to serve at /', 'web-client/dist')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--log-level <level>', 'pino log level', 'info')
    .exitOverride();
  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ port: number; host: string; dataDir: string; tasks: string; rounds?: number; clientsPerRound: number; minClients: number; roundTimeout: number; taskConfig?: string; tlsCert?: string; tlsKey?: string; logLevel: string; open?: boolean; publicUrl?: string; webApp: string }>();
  const tasks = o.tasks.split(',').map((t) => t.trim()) as TaskId[];
  const unknown = tasks.filter((t) => !TASK_IDS.includes(t));
  if (unknown.length > 0) {
    process.stderr.write(`unknown task(s): ${unknown.join(', ')}; known: ${TASK_IDS.join(', ')}\n`);
    return 2;
  }
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) {
    process.stderr.write('--tls-cert and --tls-key go together\n');
    return 2;
  }
  let overrides: Record<string, Partial<TaskConfig>> = {};
  if (o.taskConfig) {
    try {
      overrides = JSON.parse(readFileSync(o.taskConfig, 'utf8')) as Record<string, Partial<TaskConfig>>;
    } catch (err) {
      process.stderr.write(`cannot read --task-config ${o.taskConfig}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const configs: TaskConfig[] = [];
  for (const t of tasks) {
    const merged = { ...defaultTaskConfig(t, { clientsPerRound: o.clientsPerRound, minClients: Math.min(o.minClients, o.clientsPerRound), roundTimeoutMs: o.roundTimeout }), ...(overrides[t] ?? {}), task: t };
    const parsed = taskConfigSchema.safeParse(merged);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      process.stderr.write(`invalid settings for ${t}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'schema mismatch'}\n`);
      return 2;
    }
    configs.push(parsed.data);
  }
  const logger = pino({ level: o.logLevel });
  const [{ startCoordinator }, { runSchedule }] = await Promise.all([import('./server.ts'), import('./engine/scheduler.ts')]);
  const running = await startCoordinator({
    port: o.port,
    host: o.host,
    dataDir: resolve(o.dataDir),
    logger,
    tasks: configs,
    security: o.open ? 'open' : 'enrolled',
    webAppDir: resolve(o.webApp),
    ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
    ...(o.tlsCert && o.tlsKey ? { tls: { certPath: o.tlsCert, keyPath: o.tlsKey } } : {}),
  });
  if (running.adminToken) process.stderr.write(`Admin token (shown once, store it safely): ${running.adminToken}\n`);
  const abort = new AbortController();
  const stop = async () => {
    abort.abort();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runSchedule(running.coordinator, { tasks, rounds: o.rounds ?? Infinity, idleMs: 1000, signal: abort.signal });
  logger.info('all rounds done; serving the models until stopped');
  return new Promise<number>(() => undefined);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
