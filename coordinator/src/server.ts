import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import { silentLogger, type Logger } from '@huddle/shared/util';
import { EnrollmentVerifier } from './auth/clientVerifier.ts';
import { ensureAdminCredential } from './auth/credentials.ts';
import { RoundEventStream } from './dashboard/roundEventStream.ts';
import { Coordinator } from './engine/coordinator.ts';
import { createApp, metricsHandler } from './http/app.ts';
import { serveWebApp } from './http/webApp.ts';
import { guardSocketIo } from './limits/socketIoGuard.ts';
import { CoordinatorMetrics } from './ops/metrics.ts';
import { withSecurityChoices } from './ops/secureDefaults.ts';
import { lockDataDir, type DataDirLock } from './store/dataDirLock.ts';
import { FileStore } from './store/fileStore.ts';
import { importPriorFile } from './store/priorFile.ts';
import { SqliteStore, SqlStore } from './store/sqliteStore.ts';
import type { CoordinatorStore } from './store/store.ts';
import { DEFAULT_HELLO_TIMEOUT_MS, SocketIoServerTransport } from './transport/socketIoServer.ts';

export interface StartOptions {
  port: number;
  host?: string;
  dataDir: string;
  tasks?: (TaskConfig | TaskId)[];
  logger?: Logger;
  /**
   * enrolled (deployment): SQLite state, admin credential, invites, signed messages, role-checked
   * REST, dashboard and connection limits. open: any client id may join, plain-file state, no
   * credentials: for demos, tests and closed research networks.
   */
  security?: 'enrolled' | 'open';
  store?: CoordinatorStore;
  maxMessageBytes?: number;
  tls?: { certPath: string; keyPath: string };
  /** Base of invite join links; also the one browser origin, besides the coordinator's own, allowed to open a socket. */
  publicUrl?: string;
  /** More browser origins allowed to open a socket (e.g. a web-client dev server). */
  allowedOrigins?: string[];
  /** The data directory's lock when the caller already holds it (the CLI takes it before loading the engine). */
  dataDirLock?: DataDirLock;
  /** A socket that has not said a verified hello by then is closed (default 10 s). */
  helloTimeoutMs?: number;
  /** Built athlete web app (web-client/dist) to serve at `/`. */
  webAppDir?: string;
  extend?: (app: Express) => void;
  /**
   * Also serve `GET /metrics` without a credential on this port (0 = any free one), for a
   * Prometheus scraper on a private network. `/metrics` on the main port always needs the analyst role.
   */
  metricsPort?: number;
  /** Address of the metrics port; 127.0.0.1 by default. */
  metricsHost?: string;
  /**
   * Enrolled mode: the Ed25519 public key of an independent auditor. Its countersignatures of enrollments are
   * accepted at `POST /api/auditor/countersignatures`, stored, and relayed with each peer in secure rosters.
   */
  auditorPublicKey?: Uint8Array;
}

export interface RunningCoordinator {
  coordinator: Coordinator;
  http: HttpServer;
  transport: SocketIoServerTransport;
  url: string;
  port: number;
  /** URL of the separate metrics server, when `metricsPort` was given. */
  metricsUrl: string | null;
  /** Printed once at the first start of an enrolled coordinator; null afterwards and in open mode. */
  adminToken: string | null;
  close(): Promise<void>;
}

export async function startCoordinator(options: StartOptions): Promise<RunningCoordinator> {
  const logger = options.logger ?? silentLogger;
  const enrolled = (options.security ?? 'open') === 'enrolled';
  // One coordinator per data directory: a second one, or a restore, is refused while this runs.
  const lock = options.dataDirLock ?? lockDataDir(options.dataDir, 'coordinator');
  try {
    return await start(options, logger, enrolled, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function start(options: StartOptions, logger: Logger, enrolled: boolean, lock: DataDirLock): Promise<RunningCoordinator> {
  const sqlite = enrolled ? (options.store instanceof SqliteStore ? options.store : SqliteStore.inDirectory(options.dataDir)) : null;
  const store: CoordinatorStore = sqlite ?? options.store ?? new FileStore(options.dataDir, logger);
  if (store instanceof SqlStore) importPriorFile(options.dataDir, store, logger);
  const adminToken = sqlite ? ensureAdminCredential(sqlite) : null;
  if (options.auditorPublicKey && !sqlite) throw new Error('an auditor key needs enrolled mode (countersignatures are kept with the enrollments)');
  if (options.auditorPublicKey && options.auditorPublicKey.length !== 32) throw new Error('the auditor key must be a 32-byte Ed25519 public key');
  const auditorKey = options.auditorPublicKey ?? null;
  // Settings an admin saved over the API win over the ones given at start.
  const tasks = (options.tasks ?? ['injury', 'readiness']).map((t) => {
    // Enrolled mode's defaults are secure aggregation with distributed DP under a budget.
    const config = typeof t !== 'string' ? t : enrolled ? withSecurityChoices(defaultTaskConfig(t), { secureAggregation: true, dp: true }) : defaultTaskConfig(t);
    return sqlite?.loadTaskConfig(config.task) ?? config;
  });
  const coordinator = new Coordinator({
    tasks,
    store,
    featureCount: FEATURE_COUNT,
    logger,
    ...(sqlite ? { authenticator: new EnrollmentVerifier(sqlite), populationOf: (task: TaskId) => sqlite.enrollments.summary().byTask[task] ?? 0 } : {}),
    ...(sqlite && auditorKey ? { countersignatureOf: (id: string) => sqlite.countersignatures.of(id, auditorKey) } : {}),
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
  });
  const events = sqlite ? new RoundEventStream(coordinator) : null;
  const metrics = new CoordinatorMetrics({ coordinator, ledger: (task) => store.loadLedger(task) });
  const extensions = [options.webAppDir && existsSync(options.webAppDir) ? serveWebApp(options.webAppDir) : null, options.extend ?? null].filter((e): e is (app: Express) => void => e !== null);
  const app = createApp({
    coordinator,
    metrics,
    extend: (a) => extensions.forEach((e) => e(a)),
    ...(sqlite && events
      ? {
          auth: {
            store: sqlite,
            events,
            logger,
            ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
            onTaskConfig: (task, config) => coordinator.updateTaskConfig(task, config),
            onEnrollmentEnded: (clientId) => coordinator.registry.byId(clientId)?.conn.close('enrollment ended'),
            ...(auditorKey ? { auditor: { publicKey: auditorKey, countersignatures: sqlite.countersignatures } } : {}),
          },
        }
      : {}),
  });
  const http = options.tls ? createHttpsServer({ cert: readFileSync(options.tls.certPath), key: readFileSync(options.tls.keyPath) }, app) : createServer(app);
  const transport = new SocketIoServerTransport(http, {
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    allowedOrigins: [...(options.publicUrl ? [options.publicUrl] : []), ...(options.allowedOrigins ?? [])],
    helloTimeout: { ms: options.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS, joined: (id) => coordinator.registry.byConnection(id) !== undefined },
  });
  if (enrolled) guardSocketIo(transport.io, { maxConnectionsPerAddress: 20, messages: { burst: 60, perSecond: 20 } });
  await coordinator.attach(transport);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const metricsServer = options.metricsPort === undefined ? null : await listenMetrics(metrics, options.metricsPort, options.metricsHost ?? '127.0.0.1');
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  logger.info({ url, dataDir: options.dataDir, security: enrolled ? 'enrolled' : 'open' }, 'coordinator listening');
  return {
    coordinator,
    http,
    transport,
    url,
    port,
    adminToken,
    metricsUrl: metricsServer?.url ?? null,
    async close() {
      events?.close();
      metrics.close();
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.http.close(() => resolve()));
      await coordinator.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      lock.release();
    },
  };
}

async function listenMetrics(metrics: CoordinatorMetrics, port: number, host: string): Promise<{ http: HttpServer; url: string }> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(metrics));
  app.use((_req, res) => void res.status(404).json({ error: 'this port serves only GET /metrics' }));
  const http = createServer(app);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => resolve());
  });
  return { http, url: `http://${host}:${(http.address() as AddressInfo).port}` };
}
