import { createServer, type Server as HttpServer, type RequestListener } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { DEFAULT_MAX_MESSAGE_BYTES, defaultTaskConfig, protocolFrames, type TaskConfig, type TwinPriorConfig } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import { silentLogger, type Logger } from '@huddle/shared/util';
import { EnrollmentVerifier } from '../auth/clientVerifier.ts';
import { ensureAdminCredential } from '../auth/credentials.ts';
import { RoundEventStream } from '../dashboard/roundEventStream.ts';
import { createApp } from '../http/app.ts';
import { serveWebApp } from '../http/webApp.ts';
import { CoordinatorMetrics } from '../ops/metrics.ts';
import { compactHeap } from '../ops/heapCompaction.ts';
import { Coordinator } from '../engine/coordinator.ts';
import { runSchedule } from '../engine/scheduler.ts';
import { runTwinPriorTask } from '../engine/prior/priorSchedule.ts';
import { guardSocketIo } from '../limits/socketIoGuard.ts';
import { copyWsMasks } from '../transport/leanSockets.ts';
import { LeaderLease } from '../store/leaderLease.ts';
import { migratePostgres } from '../store/postgresSchema.ts';
import { PostgresStore } from '../store/postgresStore.ts';
import { PostgresSyncDb } from '../store/sql/postgresSyncDb.ts';
import { ClusterBus, channelsFor } from './clusterBus.ts';
import { ClusterServerTransport } from './clusterServerTransport.ts';
import { forwardSockets } from './nodeSockets.ts';
import { nodeRequestHandler } from './nodeHttp.ts';
import { CohortJobs } from './cohortJobs.ts';
import { clusterCohortPort, wireResult, type CohortPortHandle } from './cohortPort.ts';
import { RELAY_NODE, withRelayCohorts } from './relayCohorts.ts';
import { clusterBusKey } from './busAuth.ts';
import { PRESENCE_TTL_MS, PresenceWatch, presenceKey, startPresence } from './nodePresence.ts';
import type { CohortResult } from '../engine/workflows/cohorts.ts';
import { systemClock } from '../engine/clock.ts';
import { PROTOCOL_EVENT } from '@huddle/shared/protocol';

export interface ClusterNodeOptions {
  nodeId: string;
  port: number;
  host?: string;
  postgresUrl: string;
  redisUrl: string;
  /** Nodes of one federation share a cluster name (Redis channels, leader lease). */
  cluster?: string;
  tasks?: (TaskConfig | TaskId)[];
  security?: 'enrolled' | 'open';
  /** How long a leader's lease lasts without renewal; it renews every quarter of it. */
  leaseMs?: number;
  /** Completed rounds per task before the leader stops scheduling (default: forever). */
  rounds?: number;
  idleMs?: number;
  /** Seeds client selection (tests and research runs only). */
  selectionSeed?: number;
  /** Input width of the tasks' networks (default: the product's feature count; benchmarks size models with it). */
  featureCount?: number;
  logger?: Logger;
  /** Base of invite join links (the cluster's one public address). */
  publicUrl?: string;
  /** Built athlete web app to serve at `/` (through whichever node is asked). */
  webAppDir?: string;
  /** Called once when the first leader of a new federation creates the admin token (shown once). */
  onAdminToken?: (token: string) => void;
  /** Enrolled mode: an independent auditor's Ed25519 public key, as for a single coordinator (docs/privacy.md §4). */
  auditorPublicKey?: Uint8Array;
  /**
   * Hierarchical aggregation (default on): each node fits over the cohort of clients it holds and sends the
   * leader one cohort sum. Off: the leader fits over every client, the nodes only relay.
   */
  hierarchical?: boolean;
  /** The twin-prior task (`--twin-prior`), run by each leader when it takes the lead (docs/planning.md). */
  twinPrior?: TwinPriorConfig;
}

export interface CohortResultEvent {
  node: string;
  roundId: string;
  cohort: string;
  result: CohortResult;
}

export interface ClusterNodeStatus {
  node: string;
  role: 'leader' | 'follower';
  term: number | null;
  leader: string | null;
  /** null while PostgreSQL answers; else why this node does not lead rounds. */
  postgres: string | null;
  localSockets: number;
}

export interface ClusterNode {
  readonly url: string;
  readonly port: number;
  status(): ClusterNodeStatus;
  /** The round engine while this node leads, else null. */
  engine(): Coordinator | null;
  /** Clean stop: releases the lease so another node takes over at once. */
  close(): Promise<void>;
  /** Dies as a crash would: sockets cut, no lease released (tests). */
  crash(): Promise<void>;
  /** While leading: every cohort sum this node receives, repeats included. */
  onCohortResult(listener: (e: CohortResultEvent) => void): () => void;
}

/**
 * One coordinator node of a scale-out deployment. Every node terminates client sockets and forwards
 * their frames over Redis; the node holding the leader lease in PostgreSQL runs the round engine on a
 * ClusterServerTransport that sees all nodes' sockets, with the shared PostgreSQL store. When the
 * leader dies its lease expires and the next node to renew takes over: open rounds are recorded as
 * abandoned (their epsilon kept), and every node re-announces its sockets to the new leader.
 */
export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const logger = options.logger ?? silentLogger;
  const cluster = options.cluster ?? 'default';
  const leaseMs = options.leaseMs ?? 6_000;
  const enrolled = (options.security ?? 'enrolled') === 'enrolled';
  const auditorKey = options.auditorPublicKey ?? null;
  if (auditorKey && !enrolled) throw new Error('an auditor key needs enrolled mode (countersignatures are kept with the enrollments)');
  if (options.nodeId === RELAY_NODE) throw new Error(`"${RELAY_NODE}" is the leader's relay cohort, not a node id`);
  if (auditorKey && auditorKey.length !== 32) throw new Error('the auditor key must be a 32-byte Ed25519 public key');
  const tasks = (options.tasks ?? ['injury', 'readiness']).map((t) => (typeof t === 'string' ? defaultTaskConfig(t) : t));

  const leaseDb = new PostgresSyncDb(options.postgresUrl, { connectTimeoutMs: 2_000, queryTimeoutMs: 4_000 });
  migratePostgres(leaseDb);
  const bus = new ClusterBus(
    options.redisUrl,
    channelsFor(cluster),
    (channel, error) => logger.warn({ channel, error }, 'refused a malformed cluster message'),
    (error) => logger.warn({ node: options.nodeId, error }, 'Redis connection problem (cluster bus)'),
    clusterBusKey(leaseDb),
  );
  await bus.start();
  // Three missed refreshes (one a second, from the side thread, which a busy event loop does not hold up).
  const presence = startPresence({
    redisUrl: options.redisUrl,
    key: presenceKey(cluster, options.nodeId),
    ttlMs: PRESENCE_TTL_MS,
    onError: (error) => logger.error({ node: options.nodeId, error }, 'presence worker failed: the leader will take this node for dead'),
  });
  // Present before it takes sockets: a leader would take a node with clients but no key for dead.
  await presence.ready;
  const http: HttpServer = createServer(
    nodeRequestHandler({
      node: options.nodeId,
      health: (res) => {
        const s = status();
        res.writeHead(s.postgres ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(s));
      },
      leaderApp: () => (leading && Date.now() <= heldUntil ? leading.app : null),
      leaderUrl: async () => (await bus.currentLeader())?.url ?? null,
      logger,
    }),
  );
  // pingTimeout: a node writes one model to thousands of sockets at once, and a device (or a load client holding
  // thousands) can spend longer than socket.io's 20 s default reading it: both would take the other for gone.
  const io = new Server(http, { maxHttpBufferSize: DEFAULT_MAX_MESSAGE_BYTES + 1024, serveClient: false, cors: { origin: false }, pingTimeout: 60_000, parser: protocolFrames });
  copyWsMasks();
  // The adapter does not catch its own publish failures: commands wait for Redis to come back instead of failing.
  const adapterPub = bus.publisher.duplicate({ maxRetriesPerRequest: null });
  const adapterSub = bus.publisher.duplicate({ maxRetriesPerRequest: null });
  for (const r of [adapterPub, adapterSub]) r.on('error', (err: Error) => logger.warn({ node: options.nodeId, err: err.message }, 'Redis connection problem (socket.io adapter)'));
  io.adapter(createAdapter(adapterPub, adapterSub, { key: `huddle:${cluster}:io` }));
  if (enrolled) guardSocketIo(io, { maxConnectionsPerAddress: 20, messages: { burst: 60, perSecond: 20 } });
  const hierarchical = options.hierarchical ?? true;
  const cohortJobs = hierarchical
    ? new CohortJobs({
        node: options.nodeId,
        clock: systemClock,
        logger,
        send: (sid, bytes) => io.of('/').sockets.get(sid)?.emit(PROTOCOL_EVENT, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
        publish: (roundId, cohort, result) => bus.publishUp({ kind: 'cohortSum', node: options.nodeId, roundId, cohort, result: wireResult(result) }),
      })
    : null;
  const cohortListeners = new Set<(e: CohortResultEvent) => void>();
  const stopForwarding = forwardSockets(io, bus, options.nodeId, cohortJobs);

  const lease = new LeaderLease(leaseDb, `${cluster}:rounds`, options.nodeId, leaseMs);
  let postgresProblem: string | null = null;
  let leading: {
    term: number;
    coordinator: Coordinator;
    transport: ClusterServerTransport;
    stop: AbortController;
    done: Promise<void>;
    app: RequestListener;
    closeApp: () => void;
  } | null = null;
  let url = '';
  /** Local deadline of the lease this node last renewed; past it, this node must not act as leader. */
  let heldUntil = 0;
  let knownLeader: string | null = null;

  const startEngine = async (term: number): Promise<void> => {
    const store = PostgresStore.connect(options.postgresUrl, { fence: { lease: `${cluster}:rounds`, holder: options.nodeId, term } });
    const transport: ClusterServerTransport = new ClusterServerTransport(bus, options.nodeId, term, (sid): boolean => coordinator.registry.byConnection(sid) !== undefined);
    const watch = hierarchical ? new PresenceWatch(bus.publisher, (node) => presenceKey(cluster, node), options.nodeId) : null;
    const cohorts: CohortPortHandle | null = watch
      ? withRelayCohorts(
          clusterCohortPort({
            node: options.nodeId,
            bus,
            transport,
            registry: () => coordinator.registry,
            publicKeyOf: (id) => (enrolled ? (store.enrollments.byClientId(id)?.publicKey ?? null) : null),
            presence: watch,
            logger,
            onResult: (e) => cohortListeners.forEach((l) => l(e)),
          }),
          { transport, registry: () => coordinator.registry, clock: systemClock, logger, onResult: (e) => cohortListeners.forEach((l) => l(e)) },
        )
      : null;
    const coordinator: Coordinator = new Coordinator({
      ...(cohorts ? { cohorts } : {}),
      tasks: tasks.map((c) => store.loadTaskConfig(c.task) ?? c),
      store,
      featureCount: options.featureCount ?? FEATURE_COUNT,
      logger,
      ...(options.selectionSeed !== undefined ? { selectionSeed: options.selectionSeed } : {}),
      ...(enrolled ? { authenticator: new EnrollmentVerifier(store, { keepHelloKeys: false }), populationOf: (task: TaskId) => store.enrollments.summary().byTask[task] ?? 0 } : {}),
      ...(auditorKey ? { countersignatureOf: (id: string) => store.countersignatures.of(id, auditorKey) } : {}),
      // The leader verifies every client's hello: the join burst's garbage is compacted before it carries a round.
      beforeRound: (task) => logger.debug({ task, ...compactHeap() }, 'heap compacted before the round'),
    });
    await coordinator.attach(transport);
    const stop = new AbortController();
    const done = runSchedule(coordinator, { tasks: coordinator.taskIds(), rounds: options.rounds ?? Infinity, idleMs: options.idleMs ?? 500, signal: stop.signal }).catch((err: unknown) => {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'round schedule stopped');
    });
    if (options.twinPrior) {
      runTwinPriorTask(coordinator, options.twinPrior, { idleMs: options.idleMs ?? 500, signal: stop.signal }).catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'the twin-prior task failed'));
    }
    const events = enrolled ? new RoundEventStream(coordinator) : null;
    const metrics = new CoordinatorMetrics({ coordinator, ledger: (task) => store.loadLedger(task) });
    if (enrolled) {
      const token = ensureAdminCredential(store);
      if (token) options.onAdminToken?.(token);
    }
    const app = createApp({
      coordinator,
      metrics,
      extend: (a) => {
        if (options.webAppDir && existsSync(options.webAppDir)) serveWebApp(options.webAppDir)(a);
      },
      ...(events
        ? {
            auth: {
              store,
              events,
              logger,
              ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
              onTaskConfig: (task: TaskId, config: TaskConfig) => coordinator.updateTaskConfig(task, config),
              onEnrollmentEnded: (clientId: string) => coordinator.registry.byId(clientId)?.conn.close('enrollment ended'),
              ...(auditorKey ? { auditor: { publicKey: auditorKey, countersignatures: store.countersignatures } } : {}),
            },
          }
        : {}),
    });
    const closeApp = () => {
      cohorts?.close();
      watch?.close();
      events?.close();
      metrics.close();
    };
    leading = { term, coordinator, transport, stop, done, app, closeApp };
    bus.announceLeader({ node: options.nodeId, term, url }, leaseMs);
    logger.info({ node: options.nodeId, term }, 'leading rounds');
  };

  const stopEngine = async (why: string): Promise<void> => {
    const current = leading;
    if (!current) return;
    leading = null;
    current.stop.abort();
    current.closeApp();
    logger.warn({ node: options.nodeId, term: current.term, why }, 'stopped leading rounds');
    await current.coordinator.close().catch(() => {});
  };

  let ticking = false;
  const tick = async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      if (leading && Date.now() > heldUntil) await stopEngine('lease not renewed in time');
      let held;
      try {
        const askedAt = Date.now();
        held = lease.acquire();
        // Measured from before the request, with a margin for clock drift between nodes.
        heldUntil = held ? askedAt + leaseMs - Math.floor(leaseMs / 8) : 0;
        knownLeader = held ? options.nodeId : (lease.current()?.holder ?? null);
        if (postgresProblem) logger.info({ node: options.nodeId }, 'PostgreSQL answers again');
        postgresProblem = null;
      } catch (err) {
        postgresProblem = `PostgreSQL unreachable: ${err instanceof Error ? err.message : String(err)}`;
        logger.error({ node: options.nodeId }, `${postgresProblem}; not opening rounds until it returns`);
        await stopEngine('PostgreSQL unreachable');
        return;
      }
      if (held && leading && held.term === leading.term) bus.announceLeader({ node: options.nodeId, term: held.term, url }, heldUntil - Date.now());
      if (held && !leading) await startEngine(held.term);
      else if (held && leading && held.term !== leading.term) {
        await stopEngine('lease term changed');
        await startEngine(held.term);
      } else if (!held && leading) await stopEngine(`lease lost to ${knownLeader ?? 'nobody'}`);
    } finally {
      ticking = false;
    }
  };
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  logger.info({ node: options.nodeId, url, cluster }, 'cluster node listening');
  await tick();
  const timer = setInterval(() => void tick(), Math.max(100, Math.floor(leaseMs / 4)));
  bus.onReconnect(() => leading?.transport.resync());

  function status(): ClusterNodeStatus {
    return {
      node: options.nodeId,
      role: leading ? 'leader' : 'follower',
      term: leading?.term ?? null,
      leader: knownLeader,
      postgres: postgresProblem,
      localSockets: io.of('/').sockets.size,
    };
  }

  let stopped: Promise<void> | null = null;
  const shutdown = (releaseLease: boolean): Promise<void> => (stopped ??= stopNode(releaseLease));
  const stopNode = async (releaseLease: boolean): Promise<void> => {
    clearInterval(timer);
    stopForwarding();
    cohortJobs?.close();
    if (releaseLease) {
      await presence.leave();
      await stopEngine('node stopping');
      try {
        lease.release();
      } catch {
        // the lease expires by itself
      }
    } else {
      await presence.kill();
      if (leading) {
        const current = leading;
        leading = null;
        current.stop.abort();
        current.closeApp();
        await current.transport.close();
      }
    }
    io.local.disconnectSockets(true);
    http.closeAllConnections();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    // quit, not disconnect: the adapter's unsubscribe commands are still in flight after io.close
    await Promise.allSettled([adapterPub.quit(), adapterSub.quit()]);
    await bus.close();
    leaseDb.close();
  };

  return {
    url,
    port,
    status,
    engine: () => (leading && Date.now() <= heldUntil ? leading.coordinator : null),
    close: () => shutdown(true),
    crash: () => shutdown(false),
    onCohortResult: (listener) => {
      cohortListeners.add(listener);
      return () => cohortListeners.delete(listener);
    },
  };
}
