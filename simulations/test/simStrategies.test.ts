import { describe, expect, it } from 'vitest';
import { STRATEGY_NAMES } from '@huddle/shared/aggregation';
import { runSimulation } from '../src/sim/runSimulation.ts';

// Server optimizers act on the network's mean delta; the additive model takes its own Newton step (docs/models.md).
describe('every strategy through the deployed coordinator (network)', () => {
  it('completes rounds and moves the global model', async () => {
    const seen = new Map<string, number | null>();
    for (const strategy of STRATEGY_NAMES) {
      const r = await runSimulation({ dataset: 'synthetic', athletes: 10, days: 120, rounds: 2, clientsPerRound: 5, strategy, task: 'readiness', model: 'network' });
      expect(r.rounds.map((x) => x.status)).toEqual(['completed', 'completed']);
      expect(r.rounds[1]!.metrics.mae).not.toBe(r.rounds[0]!.metrics.mae);
      seen.set(strategy, r.final.federated.kind === 'regression' ? r.final.federated.mae : null);
    }
    console.log('readiness MAE after 2 rounds by strategy:', Object.fromEntries([...seen].map(([k, v]) => [k, v?.toFixed(4)])));
    expect(new Set(seen.values()).size).toBeGreaterThan(3);
  });
});
