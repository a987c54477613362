import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';

describe('the simulator with boosted trees', () => {
  it('warns when the rounds asked for cannot build every tree, and stops opening rounds once they are built', async () => {
    const base = { dataset: 'synthetic', athletes: 12, days: 150, task: 'readiness', clientsPerRound: 6, seed: 3, model: 'trees' } as const;
    const short = await runSimulation({ ...base, rounds: 4 });
    expect(short.warnings).toContain('the trees need 192 rounds (64 trees x 3 levels x 1); 4 rounds build 1 of the 64 trees');
    const built = await runSimulation({ ...base, rounds: 4, modelSettings: { treeCount: 1, treeDepth: 2 } });
    expect(built.warnings.some((w) => w.startsWith('the trees need'))).toBe(false);
    expect(built.rounds.map((r) => r.status)).toEqual(['completed', 'completed', 'abandoned', 'abandoned']);
  });
});
