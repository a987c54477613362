import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '@huddle/coordinator';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import { vanishAfter } from '../helpers/dropAfter.ts';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';

describe('an aborted DP round that released nothing refunds its charge (real coordinator, SQLite store, socket.io)', () => {
  let fed: TestFederation | null = null;
  afterAll(async () => fed?.close());

  it('a secure round cut short before unmasking is recorded as abandoned and leaves the ledger empty', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'huddle-refund-'));
    const store = SqliteStore.inDirectory(dataDir);
    const config: Partial<TaskConfig> = {
      fit: { ...defaultTaskConfig('readiness').fit, clipNorm: 0.1 },
      clientsPerRound: 5,
      minClients: 5,
      overSelection: 1,
      secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 4_000 },
      privacy: { noise: 'distributed', noiseMultiplier: 1, delta: 1e-5, epsilonBudget: null, population: 5, adaptiveClipping: null },
    };
    // Client 3 vanishes after sharing its keys: only 4 masked inputs arrive, so nothing is ever unmasked.
    fed = await startTestFederation({ clients: 5, tasks: ['readiness'], config, dataDir, store, days: 120, wrap: (i, t) => (i === 3 ? vanishAfter(t, 'secagg/share-keys') : t) });
    await fed.running.coordinator.waitForClients('readiness', 5, 30_000);
    const charges: number[] = [];
    const unsubscribe = fed.running.coordinator.on((e) => {
      if (e.type === 'roundStarted') charges.push(store.loadLedger('readiness').entries.length);
    });
    const record = await fed.running.coordinator.runRound('readiness');
    unsubscribe();
    expect(record.status).toBe('abandoned');
    expect(record.reason).toMatch(/4 masked inputs arrived, 5 needed; nothing was unmasked/);
    // Charged while it ran (before any client was contacted), refunded with the abandoned record.
    expect(charges).toEqual([1]);
    expect(store.loadLedger('readiness').entries).toEqual([]);
    expect(store.history('readiness').map((r) => [r.roundId, r.status])).toEqual([[record.roundId, 'abandoned']]);
    expect(store.recoverOpenRounds()).toEqual([]);
  });
});
