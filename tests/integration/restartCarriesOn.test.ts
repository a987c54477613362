import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { FileStore, startCoordinator } from '@huddle/coordinator';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

const recentOf = (dataDir: string): number[][] => (new FileStore(dataDir).loadCheckpoint('readiness')!.optimizerState as { recent: number[][] }).recent;

describe('a coordinator restarted between rounds carries on where it stopped', () => {
  let fed: TestFederation;
  afterAll(async () => fed?.close().catch(() => undefined));

  it('keeps the selection pass and the median step recent rounds in the checkpoint', async () => {
    const config = { clientsPerRound: 2, minClients: 2, overSelection: 1 };
    fed = await startTestFederation({ clients: 4, tasks: ['readiness'], config });
    const first = await fed.running.coordinator.runRound('readiness');
    expect(first.status).toBe('completed');
    fed.clients.forEach((c) => c.stop());
    await fed.running.close();
    const recentBefore = recentOf(fed.dataDir);
    expect(recentBefore).toHaveLength(1);

    const restarted = await startCoordinator({ port: 0, dataDir: fed.dataDir, tasks: [defaultTaskConfig('readiness', { roundTimeoutMs: 30_000, evaluateTimeoutMs: 30_000, ...config })] });
    const clients = [...fed.rowsByClient].map(
      ([clientId, rows]) =>
        new FederatedClient({ transport: new SocketIoClientTransport(restarted.url, { reconnection: false }), clientId, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }),
    );
    try {
      await Promise.all(clients.map((c) => c.start()));
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
