import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { startCoordinator, type CoordinatorStore, type RunningCoordinator } from '@huddle/coordinator';
import { groupByAthlete, type DailyLogRow } from '@huddle/shared/log';
import { tfjsTrainer, type TaskId } from '@huddle/shared/model';
import { defaultTaskConfig, type ClientTransport, type TaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';

function consoleLogger(name: string) {
  const log = (level: string) => (obj: object, msg?: string) => console.error(`[${name}] ${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  return { info: log('info'), warn: log('warn'), error: log('error'), debug: () => undefined };
}

export interface TestFederation {
  running: RunningCoordinator;
  clients: FederatedClient[];
  rowsByClient: Map<string, DailyLogRow[]>;
  dataDir: string;
  sent: Map<string, Uint8Array[]>;
  close(opts?: { keepData?: boolean }): Promise<void>;
}

/** Wraps a transport to keep a copy of every byte the client sends. */
export function recording(inner: ClientTransport, sink: Uint8Array[]): ClientTransport {
  return {
    open: (h) => inner.open(h),
    send: (bytes) => {
      sink.push(bytes.slice());
      inner.send(bytes);
    },
    close: () => inner.close(),
  };
}

export interface FederationOptions {
  clients: number;
  tasks?: TaskId[];
  config?: Partial<TaskConfig>;
  days?: number;
  seed?: number;
  dataDir?: string;
  /** Wraps the transport of client i (1-based), e.g. to make it vanish mid-round. */
  wrap?: (i: number, transport: ClientTransport) => ClientTransport;
  /** Closes sockets that have not joined after this long (the coordinator's default otherwise). */
  helloTimeoutMs?: number;
  /** The coordinator's store (open mode's file store otherwise). */
  store?: CoordinatorStore;
}

export async function startTestFederation(o: FederationOptions): Promise<TestFederation> {
  await initNodeBackend();
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'huddle-test-'));
  const tasks = o.tasks ?? ['injury', 'readiness'];
  const running = await startCoordinator({
    port: 0,
    dataDir,
    ...(o.helloTimeoutMs !== undefined ? { helloTimeoutMs: o.helloTimeoutMs } : {}),
    ...(o.store ? { store: o.store } : {}),
    tasks: tasks.map((t) => defaultTaskConfig(t, { roundTimeoutMs: 30_000, evaluateTimeoutMs: 30_000, ...o.config })),
  });
  const rows = generateSyntheticFederation({ athletes: o.clients, days: o.days ?? 240, seed: o.seed ?? 11 });
  const rowsByClient = new Map<string, DailyLogRow[]>();
  const sent = new Map<string, Uint8Array[]>();
  const clients: FederatedClient[] = [];
  let i = 0;
  for (const athleteRows of groupByAthlete(rows).values()) {
    const clientId = `client-${++i}`;
    rowsByClient.set(clientId, athleteRows);
    const sink: Uint8Array[] = [];
    sent.set(clientId, sink);
    clients.push(
      new FederatedClient({
        transport: recording(o.wrap ? o.wrap(i, new SocketIoClientTransport(running.url, { reconnection: false })) : new SocketIoClientTransport(running.url, { reconnection: false }), sink),
        clientId,
        data: new InMemoryDataSource(athleteRows),
        tasks,
        trainer: tfjsTrainer,
        ...(process.env.HUDDLE_TEST_LOGS ? { logger: consoleLogger(clientId) } : {}),
      }),
    );
  }
  await Promise.all(clients.map((c) => c.start()));
  return {
    running,
    clients,
    rowsByClient,
    dataDir,
    sent,
    async close(opts) {
      clients.forEach((c) => c.stop());
      await running.close();
      if (!opts?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
