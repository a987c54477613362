import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { FileStore, type RoundRecord } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { legacyModelSettings, tfjsTrainer, type LocalTrainer } from '@huddle/shared/model';
import { generateSyntheticFederation } from '@huddle/simulations';
import { freePort, spawnCoordinator, type SpawnedCoordinator } from '../helpers/spawnCoordinator.ts';

async function until<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('kill -9 of the coordinator mid-round', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-kill-'));
  let current: SpawnedCoordinator | null = null;
  const clients: FederatedClient[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.stop());
    current?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts into a consistent state and the federation carries on', async () => {
    const port = await freePort();
    const settings = join(dataDir, 'tasks.json'); // the network: the kill happens inside its local SGD
    writeFileSync(settings, JSON.stringify({ readiness: { model: legacyModelSettings('readiness'), fit: { localEpochs: 2, batchSize: 32, learningRate: 0.05, proximalMu: 0, clipNorm: 0.1, seed: 1 }, privacy: { noise: 'central', noiseMultiplier: 0.3, delta: 1e-5, epsilonBudget: null, population: 4, adaptiveClipping: null } } }));
    const args = ['--open', '--port', String(port), '--data-dir', join(dataDir, 'coord'), '--tasks', 'readiness', '--rounds', '5', '--clients-per-round', '4', '--min-clients', '3', '--round-timeout', '20000', '--task-config', settings];
    current = await spawnCoordinator(args);
    let trainCalls = 0;
    let killed: Promise<number | null> | null = null;
    // The third training call anywhere is inside round 2 or 3: kill the coordinator while clients train.
    const killing: LocalTrainer = {
      async train(spec, init, data, config) {
        if (++trainCalls === 9 && current) {
          current.child.kill('SIGKILL');
          killed = current.exited;
        }
        return tfjsTrainer.train(spec, init, data, config);
      },
    };
    const rows = generateSyntheticFederation({ athletes: 4, days: 200, seed: 5 });
    let i = 0;
    for (const athleteRows of groupByAthlete(rows).values()) {
      clients.push(new FederatedClient({ transport: new SocketIoClientTransport(current.url), clientId: `c-${++i}`, data: new InMemoryDataSource(athleteRows), tasks: ['readiness'], trainer: killing }));
    }
    await Promise.all(clients.map((c) => c.start()));
    await until('the kill', async () => (killed ? true : null));
    expect(await killed!).toBeNull();

    current = await spawnCoordinator(args);
    const restarted = current;
    const history = await until('five completed rounds after the restart', async () => {
      const res = await fetch(`${restarted.url}/api/tasks/readiness/rounds`);
      const h = (await res.json()) as RoundRecord[];
      return h.filter((r) => r.status === 'completed').length >= 5 ? h : null;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the coordinator logged:\n${restarted.lines.slice(-25).join('\n')}`);
    });
    current.child.kill('SIGKILL');
    await current.exited;
    current = null;

    const completed = history.filter((r) => r.status === 'completed').map((r) => r.round);
    expect(completed).toEqual([1, 2, 3, 4, 5]);
    const interrupted = history.filter((r) => r.status === 'abandoned' && /stopped mid-round/.test(r.reason ?? ''));
    expect(interrupted).toHaveLength(1);
    expect(new Set(history.map((r) => r.roundId)).size).toBe(history.length);
    const store = new FileStore(join(dataDir, 'coord'));
    expect(store.loadCheckpoint('readiness')!.round).toBe(5);
    // The interrupted round's privacy cost stays charged: 5 completed rounds + the one cut short, each charged for its
    // update, plus each completed round's evaluation release (and the cut-short one's, if it died while evaluating).
    const entries = store.loadLedger('readiness').entries.length;
    expect(entries).toBeGreaterThanOrEqual(6 + 5);
    expect(entries).toBeLessThanOrEqual(6 + 6);
    expect(history.filter((r) => r.status === 'completed').every((r) => r.privacy !== null)).toBe(true);
  });
});
