import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { TASK_IDS, type TaskId } from '@huddle/shared/modelCore';
import { fromHex } from '@huddle/shared/secagg';
import { twinPriorConfigSchema, type TwinPriorConfig } from '@huddle/shared/protocol';
import { createLogger } from './ops/logger.ts';
import { CLUSTER_NODE_V8_FLAGS, followParent, missingNodeFlags, rerunWithNodeFlags } from './ops/nodeFlags.ts';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './store/dataDirLock.ts';
import { isMaintenanceVerb, maintenance } from './ops/maintenanceCli.ts';
import { SECURE_DEFAULTS, securityWarnings } from './ops/secureDefaults.ts';
import { buildTaskConfigs } from './ops/taskConfigs.ts';

const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
};

const budget = (v: string): number | null => (v === 'none' ? null : positive(v));

const auditorKey = (v: string): Uint8Array => {
  if (!/^[0-9a-f]{64}$/.test(v)) throw new InvalidArgumentError('expected a 32-byte Ed25519 public key as 64 lower-case hex digits');
  return fromHex(v);
};

const int = (min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}`);
  return n;
};

export async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (isMaintenanceVerb(args[0])) return maintenance(args[0], args.slice(1));
  const program = new Command('coordinator')
    .description('Huddle coordinator: runs federated rounds for the injury and readiness tasks. Maintenance: `coordinator backup --data-dir D [--out F]`, `coordinator restore --data-dir D --from F`, `coordinator admin-token --data-dir D`. Enrolled mode runs secure aggregation with distributed DP under an epsilon budget unless told otherwise; see docs/operators.md')
    .option('--port <n>', 'port to listen on', int(0), 8080)
    .option('--host <addr>', 'address to bind: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface, for phones on the network; put HTTPS in front)', '127.0.0.1')
    .option('--data-dir <dir>', 'where checkpoints and round history live', './federation-data')
    .option('--tasks <list>', 'comma-separated tasks to host', 'injury,readiness')
    .option('--rounds <n>', 'rounds per task, then idle (default: run until stopped)', int(1))
    .option('--clients-per-round <n>', 'updates to wait for per round', int(1), 5)
    .option('--min-clients <n>', 'fewest updates a round may aggregate', int(1), 3)
    .option('--round-timeout <ms>', 'round deadline in milliseconds', int(100), 60_000)
    .option('--task-config <file>', 'JSON object of per-task settings, e.g. {"injury": {"privacy": {...}}}; overrides the flags above')
    .option('--twin-prior <file>', 'JSON settings of the twin-prior task, e.g. {"iterations": 8, "clients": 50, "minAthletes": 10}: learns the planning twin\'s population prior from the devices\' own fits (docs/planning.md)')
    .option('--open', 'let any client id join without enrollment (demos and closed research networks only); keeps the tasks\' own defaults (no secure aggregation, no DP)')
    .option('--insecure-no-secagg', 'enrolled mode: turn secure aggregation off (the coordinator then sees each update; DP noise becomes central)')
    .option('--no-dp', 'enrolled mode: turn differential privacy off (no noise, no epsilon accounting)')
    .option('--noise-multiplier <z>', `DP noise multiplier z (enrolled mode; default ${SECURE_DEFAULTS.noiseMultiplier})`, positive)
    .option('--epsilon-budget <e>', `stop training a task before its epsilon passes e; "none" for no budget (enrolled mode; default ${SECURE_DEFAULTS.epsilonBudget})`, budget)
    .option('--public-url <url>', 'base URL of invite join links, e.g. https://huddle.example.org')
    .option('--allowed-origin <url...>', 'more browser origins allowed to open a socket besides this coordinator\'s own and --public-url (e.g. a web-client dev server)')
    .option('--hello-timeout <ms>', 'close a socket that has not joined within this many milliseconds', int(100), 10_000)
    .option('--web-app <dir>', 'built athlete web app to serve at /', 'web-client/dist')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--log-level <level>', 'pino log level', 'info')
    .option('--store <url>', 'scale-out: keep the state in PostgreSQL (postgres://...) instead of SQLite in --data-dir; needs --redis and --node-id (docs/scale-out.md)')
    .option('--redis <url>', 'scale-out: Redis (redis://...) that the nodes of one federation share')
    .option('--node-id <id>', 'scale-out: this node\'s name, unique in the federation')
    .option('--cluster <name>', 'scale-out: name shared by the nodes of one federation', 'default')
    .option('--auditor-key <hex>', 'enrolled mode: Ed25519 public key (64 hex digits) of an independent auditor whose countersignatures of enrollments are stored and relayed in secure rosters (docs/privacy.md §4)', auditorKey)
    .option('--metrics-port <n>', 'also serve Prometheus GET /metrics without a token on this port, bound to 127.0.0.1 (on the main port /metrics needs an analyst token)', int(0))
    .exitOverride();
  try {
    program.parse(args, { from: 'user' });
  } catch (err) {
    return (err as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ port: number; host: string; dataDir: string; tasks: string; rounds?: number; clientsPerRound: number; minClients: number; roundTimeout: number; taskConfig?: string; twinPrior?: string; tlsCert?: string; tlsKey?: string; logLevel: string; open?: boolean; publicUrl?: string; webApp: string; metricsPort?: number; allowedOrigin?: string[]; helloTimeout: number; store?: string; redis?: string; nodeId?: string; cluster: string; insecureNoSecagg?: boolean; dp: boolean; noiseMultiplier?: number; epsilonBudget?: number | null; auditorKey?: Uint8Array }>();
  const scaleOut = o.store !== undefined || o.redis !== undefined || o.nodeId !== undefined;
  if (scaleOut) {
    // Before anything is logged or opened: the node itself is the child.
    const missing = missingNodeFlags(CLUSTER_NODE_V8_FLAGS);
    if (missing.length > 0) return rerunWithNodeFlags(missing);
    followParent();
  }
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
  let overrides: Record<string, unknown> = {};
  if (o.taskConfig) {
    try {
      overrides = JSON.parse(readFileSync(o.taskConfig, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      process.stderr.write(`cannot read --task-config ${o.taskConfig}: ${(err as Error).message}\n`);
      return 2;
    }
  }
  let twinPrior: TwinPriorConfig | null = null;
  if (o.twinPrior) {
    try {
      const parsed = twinPriorConfigSchema.safeParse(JSON.parse(readFileSync(o.twinPrior, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        process.stderr.write(`--twin-prior ${o.twinPrior}: ${issue.path.join('.') || '(root)'}: ${issue.message}\n`);
        return 2;
      }
      twinPrior = parsed.data;
    } catch (err) {
      process.stderr.write(`cannot read --twin-prior ${o.twinPrior}: ${(err as Error).message}\n`);
      return 2;
    }
    if (!tasks.includes(twinPrior.task)) {
      process.stderr.write(`--twin-prior: its host task ${twinPrior.task} is not among --tasks ${tasks.join(',')}\n`);
      return 2;
    }
  }
  const security = o.open ? 'open' : 'enrolled';
  const built = buildTaskConfigs({
    tasks,
    clientsPerRound: o.clientsPerRound,
    minClients: o.minClients,
    roundTimeoutMs: o.roundTimeout,
    overrides,
    security,
    insecureNoSecagg: o.insecureNoSecagg === true,
    dp: o.dp,
    ...(o.noiseMultiplier !== undefined ? { noiseMultiplier: o.noiseMultiplier } : {}),
    ...(o.epsilonBudget !== undefined ? { epsilonBudget: o.epsilonBudget } : {}),
  });
  if (!built.ok) {
    process.stderr.write(`${built.error}\n`);
    return 2;
  }
  const configs = built.configs;
  const logger = createLogger({ level: o.logLevel });
  for (const config of configs) for (const warning of securityWarnings(config, security)) logger.warn({ task: config.task }, warning);
  if (scaleOut) {
    if (!o.store || !/^postgres(ql)?:\/\//i.test(o.store) || !o.redis || !o.nodeId) {
      process.stderr.write('scale-out needs all three: --store postgres://..., --redis redis://... and --node-id NAME\n');
      return 2;
    }
    const { startClusterNode } = await import('./cluster/clusterNode.ts');
    const node = await startClusterNode({
      nodeId: o.nodeId,
      port: o.port,
      host: o.host,
      postgresUrl: o.store,
      redisUrl: o.redis,
      cluster: o.cluster,
      tasks: configs,
      security,
      logger,
      webAppDir: resolve(o.webApp),
      ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
      onAdminToken: (token) => process.stderr.write(`Admin token (shown once, store it safely): ${token}\n`),
      ...(o.auditorKey ? { auditorPublicKey: o.auditorKey } : {}),
      ...(o.rounds !== undefined ? { rounds: o.rounds } : {}),
      ...(twinPrior ? { twinPrior } : {}),
    });
    logger.info({ node: o.nodeId, url: node.url, nodeFlags: process.execArgv.filter((a) => a.startsWith('--max-')) }, 'cluster node started; GET /health tells its role');
    const stopNode = async () => {
      await node.close();
      process.exit(0);
    };
    process.once('SIGINT', stopNode);
    process.once('SIGTERM', stopNode);
    return new Promise<number>(() => undefined);
  }
  // Refuse a busy data directory before loading the engine (quick, and nothing else is touched).
  const dataDir = resolve(o.dataDir);
  let dataDirLock: DataDirLock;
  try {
    dataDirLock = lockDataDir(dataDir, 'coordinator');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return err instanceof DataDirLockedError ? 3 : 1;
  }
  // Loaded only to serve: maintenance commands stay quick to start.
  const [{ startCoordinator }, { runSchedule }] = await Promise.all([import('./server.ts'), import('./engine/scheduler.ts')]);
  const running = await startCoordinator({
    port: o.port,
    host: o.host,
    dataDir,
    dataDirLock,
    logger,
    tasks: configs,
    security,
    webAppDir: resolve(o.webApp),
    ...(o.metricsPort !== undefined ? { metricsPort: o.metricsPort } : {}),
    ...(o.allowedOrigin ? { allowedOrigins: o.allowedOrigin } : {}),
    helloTimeoutMs: o.helloTimeout,
    ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}),
    ...(o.auditorKey ? { auditorPublicKey: o.auditorKey } : {}),
    ...(o.tlsCert && o.tlsKey ? { tls: { certPath: o.tlsCert, keyPath: o.tlsKey } } : {}),
  });
  if (running.metricsUrl) logger.info({ metrics: `${running.metricsUrl}/metrics` }, 'serving Prometheus metrics');
  if (running.adminToken) process.stderr.write(`Admin token (shown once, store it safely): ${running.adminToken}\n`);
  const abort = new AbortController();
  const stop = async () => {
    abort.abort();
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const priorTask = twinPrior
    ? import('./engine/prior/priorSchedule.ts').then(({ runTwinPriorTask }) => runTwinPriorTask(running.coordinator, twinPrior, { idleMs: 1000, signal: abort.signal }))
        .catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'the twin-prior task failed'))
    : Promise.resolve();
  await Promise.all([runSchedule(running.coordinator, { tasks, rounds: o.rounds ?? Infinity, idleMs: 1000, signal: abort.signal }), priorTask]);
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
