import { describe, expect, it } from 'vitest';
import { main, qualityRuns, QUALITY_SYNTHETIC_ATHLETES } from '../src/bench/quality.ts';
import { SimUsageError } from '../src/sim/options.ts';

describe('bench quality', () => {
  it('covers synthetic and SoccerMon, both tasks, every seed, with defaults apart from rounds and seed', () => {
    const runs = qualityRuns(30, [1, 2, 3], []);
    expect(runs).toHaveLength(12);
    expect(new Set(runs.map((r) => `${r.dataset}|${r.task}`))).toEqual(
      new Set([`synthetic-${QUALITY_SYNTHETIC_ATHLETES}|injury`, `synthetic-${QUALITY_SYNTHETIC_ATHLETES}|readiness`, 'soccermon|injury', 'soccermon|readiness']),
    );
    for (const r of runs) {
      expect(Object.keys(r.options).sort()).toEqual(r.dataset === 'soccermon' ? ['dataset', 'protocol', 'rounds', 'seed', 'task'] : ['athletes', 'dataset', 'protocol', 'rounds', 'seed', 'task']);
      expect(r.options.rounds).toBe(30);
    }
  });

  it('adds a CSV dataset (both tasks); bad flags exit 2 before running anything', async () => {
    expect(qualityRuns(5, [7], ['data/soccermon-does-not-matter.csv']).filter((r) => r.dataset.endsWith('.csv'))).toHaveLength(2);
    expect(await main(['--seeds', 'one'])).toBe(2);
    expect(await main(['--rounds', '0'])).toBe(2);
    expect(() => qualityRuns(0, [1], [])).toThrow(SimUsageError);
  });
});
