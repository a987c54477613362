import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';
import { resultsSchema } from '../src/sim/resultsSchema.ts';

describe('results JSON', () => {
  it('validates against the schema for both tasks and both protocols', async () => {
    for (const options of [
      { task: 'injury', protocol: 'temporal' },
      { task: 'readiness', protocol: 'unseen', holdoutFraction: 0.25 },
    ] as const) {
      const r = await runSimulation({ dataset: 'synthetic', athletes: 12, days: 150, rounds: 2, clientsPerRound: 4, noiseMultiplier: 0.8, delta: 1e-5, ...options });
      const parsed = resultsSchema.safeParse(JSON.parse(JSON.stringify(r)));
      if (!parsed.success) console.log(parsed.error.issues.slice(0, 5));
      expect(parsed.success).toBe(true);
      expect(r.rounds).toHaveLength(2);
      expect(r.rounds.every((x) => x.epsilon !== null && x.epsilon > 0)).toBe(true);
      expect(r.rounds[1]!.epsilon!).toBeGreaterThan(r.rounds[0]!.epsilon!);
      const key = options.task === 'injury' ? 'auc' : 'mae';
      for (const m of [r.final.federated, r.final.personalized, r.final.centralized, r.final.localOnly]) expect(m).toHaveProperty(key);
      expect(Object.keys(r.final.federated.subgroups).sort()).toEqual(['sex', 'sport']);
      expect(Object.keys(r.final.heuristic).sort()).toEqual(options.task === 'injury' ? ['acwrEwmaRule', 'acwrRule'] : ['athleteMean', 'persistence']);
    }
  });
});
