import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { Coordinator, SocketIoServerTransport, type RoundRecord } from '@huddle/coordinator';
import { Prng } from '@huddle/shared/random';
import { FEATURE_COUNT } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import type { LocalTrainer, TaskId } from '@huddle/shared/model';
import type { PrivacyLedger } from '@huddle/shared/privacy';
import { InProcessNetwork, type ClientTransport, type ServerTransport, type TaskConfig } from '@huddle/shared/protocol';
import type { Logger } from '@huddle/shared/util';
import type { FaultPlan } from './faultPlan.ts';
import { faultTap } from './faultTap.ts';
import { MemoryStore } from './memoryStore.ts';
import { PendingWork } from './pendingWork.ts';
import type { TrafficCounter } from './traffic.ts';
import { VirtualClock } from './virtualClock.ts';

export type TransportKind = 'inprocess' | 'socket';

export interface FederationClientSpec {
  clientId: string;
  rows: DailyLogRow[];
}

export interface FederationSetup {
  transport: TransportKind;
  config: TaskConfig;
  clients: FederationClientSpec[];
  /** Fraction of each client's latest labelled days its SDK keeps for federated evaluation. */
  clientTestFraction: number;
  trainer: LocalTrainer;
  plan: FaultPlan;
  selectionSeed: number;
  /**
   * Seeds DP noise and stochastic rounding so a run reproduces from its seed. Only here: a real
   * federation always draws them from the CSPRNG (the engine's and SDK's default).
   */
  noiseSeed: number;
  logger?: Logger;
  /** Counts the bytes every client transport receives and sends. */
  traffic?: TrafficCounter;
  onStall?: (message: string) => void;
}

export interface RunningFederation {
  task: TaskId;
  coordinator: Coordinator;
  clock: VirtualClock;
  runRound(): Promise<RoundRecord>;
  globalWeights(): Float32Array;
  ledger(): PrivacyLedger;
  close(): Promise<void>;
}

/** A virtual time origin, so round records do not depend on when the simulation ran. */
const VIRTUAL_EPOCH = Date.UTC(2025, 0, 1);

/**
 * The deployed Coordinator and FederatedClient, joined in memory or over socket.io on loopback; the
 * only simulation pieces are a tap on the gateway's typed traffic (faults, virtual send times) and
 * the virtual clock.
 */
export async function startFederation(s: FederationSetup): Promise<RunningFederation> {
  const work = new PendingWork();
  let coordinatorBusy = (): boolean => false;
  const clock: VirtualClock = new VirtualClock({
    start: VIRTUAL_EPOCH,
    // Replies all in, and the coordinator done processing them (SecAgg steps are handled asynchronously).
    canAdvance: () => work.settled && !coordinatorBusy(),
    onStall: (what) => s.onStall?.(`virtual clock forced forward after a stall (${work.outstanding} replies outstanding)${what ? `: ${what}` : ''}`),
  });
  work.onChange(() => clock.poke());
  const store = new MemoryStore();
  const coordinator = new Coordinator({
    tasks: [s.config],
    store,
    featureCount: FEATURE_COUNT,
    clock,
    selectionSeed: s.selectionSeed,
    random: new Prng(s.noiseSeed),
    tap: faultTap(s.plan, work, clock),
    ...(s.logger ? { logger: s.logger } : {}),
  });
  const net = s.transport === 'socket' ? await socketNetwork() : inProcessNetwork();
  coordinatorBusy = () => coordinator.busy;
  coordinator.onIdle(() => clock.poke());
  await coordinator.attach(net.server);
  await net.ready();

  const clients: FederatedClient[] = [];
  try {
    // One at a time: the coordinator's candidate order (and so its seeded selection) is join order.
    for (const spec of s.clients) {
      const client = new FederatedClient({
        transport: s.traffic ? s.traffic.wrap(net.connect()) : net.connect(),
        clientId: spec.clientId,
        data: new InMemoryDataSource(spec.rows),
        tasks: [s.config.task],
        trainer: s.trainer,
        testFraction: s.clientTestFraction,
        random: new Prng(`${s.noiseSeed}/${spec.clientId}`),
      });
      clients.push(client);
      await client.start();
    }
  } catch (err) {
    clients.forEach((c) => c.stop());
    clock.close();
    await coordinator.close();
    await net.close();
    throw err;
  }

  return {
    task: s.config.task,
    coordinator,
    clock,
    runRound: () => coordinator.runRound(s.config.task),
    globalWeights: () => coordinator.taskState(s.config.task).weights,
    ledger: () => store.loadLedger(s.config.task),
    async close() {
      clients.forEach((c) => c.stop());
      clock.close();
      await coordinator.close();
      await net.close();
    },
  };
}

interface Network {
  server: ServerTransport;
  ready(): Promise<void>;
  connect(): ClientTransport;
  close(): Promise<void>;
}

function inProcessNetwork(): Network {
  const net = new InProcessNetwork();
  return { server: net.server, ready: async () => undefined, connect: () => net.connect(), close: async () => undefined };
}

async function socketNetwork(): Promise<Network> {
  const http = createServer();
  const server = new SocketIoServerTransport(http);
  let url = '';
  return {
    server,
    ready: () =>
      new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(0, '127.0.0.1', () => {
          url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
          resolve();
        });
      }),
    connect: () => new SocketIoClientTransport(url, { reconnection: false }),
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
