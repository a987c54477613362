import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';
import { resultsSchema, type SimResults } from '../src/sim/resultsSchema.ts';
import type { SimOptionsInput } from '../src/sim/options.ts';

/** Everything but wall-clock timing must be reproducible. */
const comparable = (r: SimResults, overrides: Partial<SimResults['config']> = {}): string => JSON.stringify({ ...r, timing: null, config: { ...r.config, ...overrides } });

const small: SimOptionsInput = {
  dataset: 'synthetic',
  athletes: 16,
  days: 200,
  rounds: 3,
  clientsPerRound: 6,
  overSelection: 1.5,
  dropout: 0.2,
  stragglers: 'exp:20000',
  roundTimeoutMs: 30_000,
  seed: 7,
};

describe('simulator determinism', () => {
  it('gives identical results for the same seed, different ones for another seed', async () => {
    const a = await runSimulation(small);
    const b = await runSimulation(small);
    expect(comparable(b)).toBe(comparable(a));
    const c = await runSimulation({ ...small, seed: 8 });
    expect(comparable(c, { seed: 7 })).not.toBe(comparable(a));
    expect(resultsSchema.safeParse(JSON.parse(JSON.stringify(a))).success).toBe(true);
  });

  it('gives the same result in process and over socket.io on loopback', async () => {
    const inProcess = await runSimulation(small);
    const socket = await runSimulation({ ...small, transport: 'socket' });
    console.log(
      'in-process vs socket, per round (updates, dropped, AUC):',
      inProcess.rounds.map((r) => `${r.participants.length}/${r.dropped.length}/${r.metrics.auc?.toFixed(4)}`).join(' '),
      '|',
      socket.rounds.map((r) => `${r.participants.length}/${r.dropped.length}/${r.metrics.auc?.toFixed(4)}`).join(' '),
    );
    expect(comparable(socket, { transport: 'inprocess' })).toBe(comparable(inProcess));
  });
});
