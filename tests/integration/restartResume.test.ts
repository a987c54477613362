import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { startCoordinator } from '@huddle/coordinator';
import { tfjsTrainer } from '@huddle/shared/model';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

describe('coordinator restarted between rounds', () => {
  let fed: TestFederation;
  afterAll(async () => fed?.close().catch(() => undefined));

  it('resumes from the last completed round with the saved model and history', async () => {
    const config = { clientsPerRound: 5, minClients: 3, overSelection: 1 };
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config });
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
      const clients = [...fed.rowsByClient].map(
        ([clientId, rows]) =>
          new FederatedClient({ transport: new SocketIoClientTransport(restarted.url, { reconnection: false }), clientId, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }),
      );
      await Promise.all(clients.map((c) => c.start()));
      const third = await restarted.coordinator.runRound('readiness');
      expect(third.round).toBe(3);
      expect(third.status).toBe('completed');
      expect(restarted.coordinator.history('readiness').map((r) => r.round)).toEqual([1, 2, 3]);
      clients.forEach((c) => c.stop());
    } finally {
      await restarted.close();
    }
  });
});
