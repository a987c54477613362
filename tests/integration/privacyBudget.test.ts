import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { startCoordinator } from '@huddle/coordinator';
import { tfjsTrainer } from '@huddle/shared/model';
import { computeEpsilon } from '@huddle/shared/privacy';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

describe('privacy ledger and budget', () => {
  let fed: TestFederation;
  afterAll(async () => fed?.close().catch(() => undefined));

  it('accounts each round, refuses the round past the budget, and remembers after a restart', async () => {
    const privacy: TaskConfig['privacy'] = { noise: 'distributed', noiseMultiplier: 1.1, delta: 1e-5, epsilonBudget: 0, population: 5, adaptiveClipping: null };
    // Each round releases two noised sums, charged alike: the update (fit) and the evaluation vector.
    const oneRound = computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 1, rounds: 2, delta: 1e-5 }).epsilon;
    const twoRounds = computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 1, rounds: 4, delta: 1e-5 }).epsilon;
    privacy.epsilonBudget = (twoRounds + computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 1, rounds: 5, delta: 1e-5 }).epsilon) / 2;
    const config: Partial<TaskConfig> = {
      // A small clip keeps z x clip / 5 clients of noise from wrecking the model between rounds.
      fit: { ...defaultTaskConfig('readiness').fit, clipNorm: 0.1 },
      clientsPerRound: 5,
      minClients: 4,
      overSelection: 1,
      secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 8_000 },
      privacy,
    };
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config });
    const first = await fed.running.coordinator.runRound('readiness');
    const second = await fed.running.coordinator.runRound('readiness');
    expect(first.reason).toBeNull();
    expect(first.status).toBe('completed');
    expect(second.reason).toBeNull();
    expect(first.privacy!.epsilon).toBeCloseTo(oneRound, 10);
    expect(second.privacy!.epsilon).toBeCloseTo(twoRounds, 10);
    const third = await fed.running.coordinator.runRound('readiness');
    expect(third.status).toBe('abandoned');
    expect(third.reason).toMatch(/privacy budget: this round would take epsilon from .* past the budget/);
    expect(third.selected).toEqual([]);

    fed.clients.forEach((c) => c.stop());
    await fed.running.close();
    const restarted = await startCoordinator({ port: 0, dataDir: fed.dataDir, tasks: [defaultTaskConfig('readiness', config)] });
    try {
      const clients = [...fed.rowsByClient].map(
        ([clientId, rows]) => new FederatedClient({ transport: new SocketIoClientTransport(restarted.url, { reconnection: false }), clientId, data: new InMemoryDataSource(rows), tasks: ['readiness'], trainer: tfjsTrainer }),
      );
      await Promise.all(clients.map((c) => c.start()));
      const afterRestart = await restarted.coordinator.runRound('readiness');
      expect(afterRestart.status).toBe('abandoned');
      expect(afterRestart.reason).toMatch(/privacy budget/);
      clients.forEach((c) => c.stop());
    } finally {
      await restarted.close();
    }
  });

  it('adds central noise of the configured scale and reports epsilon', async () => {
    await fed?.close().catch(() => undefined);
    fed = await startTestFederation({
      clients: 5,
      tasks: ['readiness'],
      config: { clientsPerRound: 5, minClients: 5, overSelection: 1, privacy: { noise: 'central', noiseMultiplier: 0.5, delta: 1e-5, epsilonBudget: null, population: 5, adaptiveClipping: { targetQuantile: 0.5, learningRate: 0.2, bitNoiseStd: 1 } } },
    });
    const clipBefore = fed.running.coordinator.taskState('readiness').config.fit.clipNorm;
    const record = await fed.running.coordinator.runRound('readiness');
    expect(record.status).toBe('completed');
    expect(record.privacy!.samplingRate).toBe(1);
    // The update and the evaluation vector: two releases at q = 1.
    expect(record.privacy!.epsilon).toBeCloseTo(computeEpsilon({ noiseMultiplier: 0.5, samplingRate: 1, rounds: 2, delta: 1e-5 }).epsilon, 10);
    expect(record.privacy!.clip).toBe(clipBefore);
  });
});
