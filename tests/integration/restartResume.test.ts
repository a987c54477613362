import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { FileStore, startCoordinator, type RunningCoordinator } from '@huddle/coordinator';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

/** The federation's clients, connected afresh to a restarted coordinator. */
async function reconnect(fed: TestFederation, restarted: RunningCoordinator): Promise<FederatedClient[]> {
  const clients = [...fed.rowsByClient].map(
    ([clientId, rows]) =>
      new FederatedClient({ transport: new SocketIoClientTransport(restarted.url, { reconnection: false }), clientId, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }),
  );
  await Promise.all(clients.map((c) => c.start()));
  return clients;
}

const recentOf = (dataDir: string): number[][] => (new FileStore(dataDir).loadCheckpoint('readiness')!.optimizerState as { recent: number[][] }).recent;

describe('coordinator restarted between rounds', () => {
  const feds: TestFederation[] = [];
  afterAll(async () => Promise.all(feds.map((f) => f.close().catch(() => undefined))));

  it('resumes from the last completed round with the saved model and history', async () => {
    const config = { clientsPerRound: 5, minClients: 3, overSelection: 1 };
    const fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config });
    feds.push(fed);
    await fed.running.coordinator.runRound('readiness');
    const second = await fed.running.coordinator.runRound('readiness');
    expect(second.status).toBe('completed');
    const saved = Float32Array.from(fed.running.coordinator.taskState('readiness').weights);
    fed.clients.forEach((c) => c.stop());
    await fed.running.close();

    const restarted = await startCoordinator({ port: 0, dataDir: fed.dataDir, tasks: [defaultTaskConfig('readiness', config)] });
    try {
      const state = restarted.coordinator.taskState('readiness');
      expect(state.round).toBe(2);
      expect(Array.from(state.weights)).toEqual(Array.from(saved));
      const clients = await reconnect(fed, restarted);
      const third = await restarted.coordinator.runRound('readiness');
      expect(third.round).toBe(3);
      expect(third.status).toBe('completed');
      expect(restarted.coordinator.history('readiness').map((r) => r.round)).toEqual([1, 2, 3]);
      clients.forEach((c) => c.stop());
    } finally {
      await restarted.close();
    }
  });

  it('keeps the selection pass and the median step recent rounds in the checkpoint', async () => {
    const config = { clientsPerRound: 2, minClients: 2, overSelection: 1 };
    const fed = await startTestFederation({ clients: 4, tasks: ['readiness'], config });
    feds.push(fed);
    const first = await fed.running.coordinator.runRound('readiness');
    expect(first.status).toBe('completed');
    fed.clients.forEach((c) => c.stop());
    await fed.running.close();
    const recentBefore = recentOf(fed.dataDir);
    expect(recentBefore).toHaveLength(1);

    const restarted = await startCoordinator({ port: 0, dataDir: fed.dataDir, tasks: [defaultTaskConfig('readiness', { roundTimeoutMs: 30_000, evaluateTimeoutMs: 30_000, ...config })] });
    const clients = await reconnect(fed, restarted);
    try {
      const second = await restarted.coordinator.runRound('readiness');
      expect(second.status).toBe('completed');
      // The pass over 4 clients had chosen 2 before the restart: the next round takes the other 2.
      expect([...first.selected, ...second.selected].sort()).toEqual([...fed.rowsByClient.keys()].sort());
    } finally {
      clients.forEach((c) => c.stop());
      await restarted.close();
    }
    const recentAfter = recentOf(fed.dataDir);
    expect(recentAfter).toHaveLength(2);
    expect(recentAfter[0]).toEqual(recentBefore[0]);
  });
});
