import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { startCoordinator, type RoundRecord, type RunningCoordinator } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { fastTrainer, legacyModelSettings, type LocalTrainer } from '@huddle/shared/model';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { generateSyntheticFederation } from '@huddle/simulations';
import { until } from '../helpers/until.ts';

/**
 * Clients lose their connection mid-round and socket.io reconnects them (SocketIoClientTransport, reconnection on).
 * A round may count a client that rejoined in time or treat it as dropped; either way the round completes, and the
 * client, having answered the new connection's challenge with a fresh hello, takes part in the next round.
 */
const TASK = 'readiness' as const;
const IDS = ['client-1', 'client-2', 'client-3', 'client-4', 'client-5'];

interface Federation {
  running: RunningCoordinator;
  clients: Map<string, FederatedClient>;
  transports: Map<string, SocketIoClientTransport>;
  /** Per client, the hook its next training call runs first (then removed). */
  beforeTraining: Map<string, () => Promise<void>>;
  close(): Promise<void>;
}

async function startFederation(): Promise<Federation> {
  await initNodeBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-reconnect-'));
  const running = await startCoordinator({
    port: 0,
    dataDir,
    tasks: [defaultTaskConfig(TASK, { clientsPerRound: IDS.length, minClients: 3, overSelection: 1, roundTimeoutMs: 20_000, evaluateTimeoutMs: 10_000, model: legacyModelSettings(TASK) })], // the hooks run inside local SGD
  });
  const rows = [...groupByAthlete(generateSyntheticFederation({ athletes: IDS.length, days: 150, seed: 23 })).values()];
  const clients = new Map<string, FederatedClient>();
  const transports = new Map<string, SocketIoClientTransport>();
  const beforeTraining = new Map<string, () => Promise<void>>();
  IDS.forEach((id, i) => {
    const hooked: LocalTrainer = {
      async train(spec, init, data, config) {
        const hook = beforeTraining.get(id);
        beforeTraining.delete(id);
        await hook?.();
        return fastTrainer.train(spec, init, data, config);
      },
    };
    const transport = new SocketIoClientTransport(running.url, { reconnection: true });
    transports.set(id, transport);
    clients.set(id, new FederatedClient({ transport, clientId: id, data: new InMemoryDataSource(rows[i]!), tasks: [TASK], trainer: hooked }));
  });
  await Promise.all([...clients.values()].map((c) => c.start()));
  return {
    running,
    clients,
    transports,
    beforeTraining,
    async close() {
      clients.forEach((c) => c.stop());
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The coordinator's connection id for a client, once it is registered (said hello and was welcomed). */
function connectionOf(fed: Federation, id: string): string | undefined {
  return fed.running.coordinator.registry.byId(id)?.conn.id;
}

/** Cuts the client's connection at the server's engine.io layer, as a network loss would: the client reconnects. */
function cutFromServer(fed: Federation, id: string): string {
  const connId = connectionOf(fed, id);
  const socket = connId ? fed.running.transport.io.sockets.sockets.get(connId) : undefined;
  if (!connId || !socket) throw new Error(`${id} has no live connection`);
  socket.conn.close();
  return connId;
}

/** Cuts the client's connection from its own side (socket.io-client's engine), as a phone switching networks would. */
function cutFromClient(fed: Federation, id: string): string {
  const connId = connectionOf(fed, id);
  const socket = (fed.transports.get(id) as unknown as { socket: Socket | null }).socket;
  if (!connId || !socket) throw new Error(`${id} has no live connection`);
  socket.io.engine.close();
  return connId;
}

/** Resolves once the client is registered on a connection other than `old` (it re-helloed and was welcomed). */
function rejoined(fed: Federation, id: string, old: string): Promise<string> {
  return until(`${id} to rejoin`, () => {
    const now = connectionOf(fed, id);
    return now && now !== old ? now : null;
  });
}

function expectConsistent(record: RoundRecord): void {
  expect(record.status).toBe('completed');
  expect([...record.reported, ...record.dropped].sort()).toEqual([...record.selected].sort());
  expect(record.reported.filter((id) => record.dropped.includes(id))).toEqual([]);
}

describe('clients disconnect and reconnect mid-round', () => {
  let fed: Federation | null = null;
  afterEach(async () => {
    await fed?.close();
    fed = null;
  });

  it('a client cut off while training rejoins; the round completes and the next round includes it', async () => {
    fed = await startFederation();
    const f = fed;
    const cut = new Map<string, string>();
    // client-2 loses its connection from the server side, client-4 from its own side; both finish training only
    // after they are back (welcomed on a new connection), so their updates travel on the new connection.
    f.beforeTraining.set('client-2', async () => {
      const old = cutFromServer(f, 'client-2');
      cut.set('client-2', old);
      await rejoined(f, 'client-2', old);
    });
    f.beforeTraining.set('client-4', async () => {
      const old = cutFromClient(f, 'client-4');
      cut.set('client-4', old);
      await rejoined(f, 'client-4', old);
    });
    const first = await f.running.coordinator.runRound(TASK);
    expectConsistent(first);
    expect(cut.size).toBe(2);
    expect(first.selected.sort()).toEqual(IDS);
    // The undisturbed clients are counted; the rejoined ones are either counted or recorded as dropped.
    expect(first.reported).toEqual(expect.arrayContaining(['client-1', 'client-3', 'client-5']));
    console.log(`round 1: reported ${first.reported.join(', ')}; dropped ${first.dropped.join(', ') || 'none'}`);

    await f.running.coordinator.waitForClients(TASK, IDS.length, 15_000);
    const second = await f.running.coordinator.runRound(TASK);
    expectConsistent(second);
    expect(second.reported.sort()).toEqual(IDS);
  });

  it('clients cut off between rounds and several times in a row are back for the next round', async () => {
    fed = await startFederation();
    const f = fed;
    for (let i = 0; i < 3; i++) {
      const old = cutFromServer(f, 'client-1');
      await rejoined(f, 'client-1', old);
    }
    const old5 = cutFromClient(f, 'client-5');
    await rejoined(f, 'client-5', old5);
    await f.running.coordinator.waitForClients(TASK, IDS.length, 15_000);
    const record = await f.running.coordinator.runRound(TASK);
    expectConsistent(record);
    expect(record.reported.sort()).toEqual(IDS);
  });

  it('a client whose update is produced while it is offline still rejoins and takes part in the next round', async () => {
    fed = await startFederation();
    const f = fed;
    let offlineUpdate = false;
    // client-3 loses its connection and finishes training before socket.io has reconnected it: the SDK hands its
    // fitResult to the transport while offline.
    f.beforeTraining.set('client-3', async () => {
      const client = f.clients.get('client-3')!;
      const noticed = new Promise<void>((resolve) => {
        const off = client.on((e) => {
          if (e.type !== 'disconnected') return;
          off();
          resolve();
        });
      });
      cutFromServer(f, 'client-3');
      await noticed;
      offlineUpdate = true;
    });
    let offlineSends = 0;
    const serverErrors: string[] = [];
    f.clients.get('client-3')!.on((e) => e.type === 'serverError' && serverErrors.push(`${e.code}: ${e.message}`));
    const trained = new Promise<void>((resolve) => f.clients.get('client-3')!.on((e) => e.type === 'trained' && resolve()));
    const first = await f.running.coordinator.runRound(TASK);
    expectConsistent(first);
    expect(first.reported).toEqual(expect.arrayContaining(['client-1', 'client-2', 'client-4', 'client-5']));
    await trained;
    expect(offlineUpdate).toBe(true);
    // The update was handed to socket.io while disconnected: it sits in socket.io-client's send buffer.
    const socket = (f.transports.get('client-3') as unknown as { socket: Socket & { sendBuffer: unknown[] } }).socket;
    offlineSends = socket.connected ? -1 : socket.sendBuffer.length;
    console.log(`round 1: reported ${first.reported.join(', ')}; dropped ${first.dropped.join(', ') || 'none'}; messages buffered offline by client-3: ${offlineSends}`);

    // socket.io reconnects within ~1 s; the client must then answer the new challenge and be welcomed again.
    await f.running.coordinator.waitForClients(TASK, IDS.length, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}: client-3 reconnected but was never registered again; the coordinator told it: ${JSON.stringify(serverErrors)}`);
    });
    const second = await f.running.coordinator.runRound(TASK);
    expectConsistent(second);
    expect(second.reported.sort()).toEqual(IDS);
  });
});
