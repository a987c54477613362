import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { FileStore } from '@huddle/coordinator';
import { groupByAthlete } from '@huddle/shared/log';
import { tfjsTrainer } from '@huddle/shared/model';
import { Prng } from '@huddle/shared/random';
import { generateSyntheticFederation } from '@huddle/simulations';
import { freePort, spawnCoordinator, type SpawnedCoordinator } from '../helpers/spawnCoordinator.ts';

const ROUNDS = 6;
const KILLS = 3;
const SEED = 20251201;

describe('chaos: random kill -9 of a real coordinator over a multi-round run with socket clients', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-chaos-'));
  let current: SpawnedCoordinator | null = null;
  const clients: FederatedClient[] = [];
  afterAll(async () => {
    clients.forEach((c) => c.stop());
    current?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('never counts a round twice, never forgets epsilon, and every model a client adopted was committed', async () => {
    const rng = new Prng(SEED);
    const port = await freePort();
    const coordDir = join(dataDir, 'coord');
    const settings = join(dataDir, 'tasks.json');
    writeFileSync(settings, JSON.stringify({ readiness: { fit: { localEpochs: 1, batchSize: 32, learningRate: 0.05, proximalMu: 0, clipNorm: 0.1, seed: 1 }, privacy: { noise: 'central', noiseMultiplier: 0.3, delta: 1e-5, epsilonBudget: null, population: 4, adaptiveClipping: null } } }));
    const args = ['--open', '--port', String(port), '--data-dir', coordDir, '--tasks', 'readiness', '--rounds', String(ROUNDS), '--clients-per-round', '4', '--min-clients', '3', '--round-timeout', '8000', '--task-config', settings];
    current = await spawnCoordinator(args);
    const url = current.url;
    const rows = generateSyntheticFederation({ athletes: 4, days: 160, seed: 9 });
    let i = 0;
    for (const athleteRows of groupByAthlete(rows).values()) {
      clients.push(new FederatedClient({ transport: new SocketIoClientTransport(url), clientId: `chaos-${++i}`, data: new InMemoryDataSource(athleteRows), tasks: ['readiness'], trainer: tfjsTrainer }));
    }
    // Every model version any client ever adopted, sampled while the coordinator is killed and restarted.
    const adopted = new Set<string>();
    const sample = (): void => {
      for (const c of clients) {
        const g = c.globalModel('readiness');
        if (g) adopted.add(`${g.round}:${g.checksum}`);
      }
    };
    const sampler = setInterval(sample, 20);
    for (const c of clients) c.on((e) => e.type === 'roundEnd' && sample());
    await Promise.all(clients.map((c) => c.start()));

    const completedRounds = (): number => new FileStore(coordDir).history('readiness').filter((r) => r.status === 'completed').length;
    for (let kill = 0; kill < KILLS; kill++) {
      await new Promise((r) => setTimeout(r, 1500 + rng.next() * 3000));
      current.child.kill('SIGKILL');
      expect(await current.exited).toBeNull();
      current = await spawnCoordinator(args);
    }
    const end = Date.now() + 45_000;
    while (completedRounds() < ROUNDS) {
      if (Date.now() > end) throw new Error(`only ${completedRounds()} rounds completed; the coordinator logged:\n${current.lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));
    sample();
    clearInterval(sampler);
    current.child.kill('SIGKILL');
    await current.exited;
    current = null;

    const store = new FileStore(coordDir);
    const history = store.history('readiness');
    // No round twice: one record per round id, and the completed rounds are 1..ROUNDS once each, in order.
    expect(new Set(history.map((r) => r.roundId)).size).toBe(history.length);
    const completed = history.filter((r) => r.status === 'completed');
    expect(completed.map((r) => r.round)).toEqual(Array.from({ length: ROUNDS }, (_, k) => k + 1));
    expect(store.loadCheckpoint('readiness')!.round).toBe(ROUNDS);
    // Epsilon never forgotten: every round that selected clients was charged (before they were contacted), crashed or not.
    const charged = history.filter((r) => r.selected.length > 0);
    const crashed = history.filter((r) => r.status === 'abandoned' && /stopped mid-round/.test(r.reason ?? ''));
    // Plus one evaluation release per completed round (and per crashed round that died while evaluating).
    const entries = store.loadLedger('readiness').entries.length;
    expect(entries).toBeGreaterThanOrEqual(charged.length + completed.length);
    expect(entries).toBeLessThanOrEqual(charged.length + completed.length + crashed.length);
    expect(crashed.every((r) => r.selected.length > 0)).toBe(true);
    // Every model any client adopted is a committed one (its round's record names exactly that version).
    const committed = new Set(completed.map((r) => `${r.model!.round}:${r.model!.checksum}`));
    console.log(`chaos (seed ${SEED}): ${KILLS} kills, ${history.length} records (${crashed.length} cut short by a crash), ${adopted.size} model versions adopted by clients, ${committed.size} committed`);
    // Round 0 is the initial checkpoint, committed before any round: one version of it.
    const initial = [...adopted].filter((v) => v.startsWith('0:'));
    expect(initial.length).toBeLessThanOrEqual(1);
    const fromRounds = [...adopted].filter((v) => !v.startsWith('0:'));
    expect(fromRounds.length).toBeGreaterThan(1);
    for (const v of fromRounds) expect(committed.has(v), `a client adopted ${v}, which was never committed`).toBe(true);
    const last = `${completed.at(-1)!.model!.round}:${completed.at(-1)!.model!.checksum}`;
    expect(clients.some((c) => { const g = c.globalModel('readiness'); return !!g && `${g.round}:${g.checksum}` === last; })).toBe(true);
  });
});
