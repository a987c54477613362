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
      expect(Object.keys(r.final.heuristic).sort()).toEqual(options.task === 'injury' ? ['acwrEwmaRule', 'acwrRule', 'athleteRate'] : ['athleteMean', 'persistence']);
      // Every method carries its counts and an interval for every metric it reports.
      const methods = [r.final.federated, r.final.personalized, r.final.centralized, r.final.localOnly, r.final.pooledGbdt, ...Object.values(r.final.heuristic)];
      for (const m of methods) {
        expect(m.n).toBe(r.dataset.testExamples);
        expect(m.athletes).toBe(r.final.federated.athletes);
        if ('positives' in m) expect(m.positives).toBe(r.dataset.testPositives);
        for (const metric of Object.keys(m.ci)) expect(m).toHaveProperty(metric);
        expect(Object.keys(m.ci).length).toBeGreaterThanOrEqual(2);
      }
      const refs = new Set(r.final.comparisons.filter((c) => c.method === 'federated').map((c) => c.reference));
      expect([...refs].sort()).toEqual(options.task === 'injury' ? ['acwrRule', 'athleteRate', 'centralized', 'pooledGbdt'] : ['athleteMean', 'centralized', 'persistence', 'pooledGbdt', 'pooledGbdtSquared']);
      expect(options.task === 'readiness' ? r.final.pooledGbdtSquared?.kind : 'none').toBe(options.task === 'readiness' ? 'regression' : 'none');
    }
  });

  it('warns when DP noise destroyed utility (federated worse than the athlete mean beyond its paired interval)', async () => {
    const r = await runSimulation({ dataset: 'synthetic', athletes: 12, days: 150, rounds: 3, clientsPerRound: 4, task: 'readiness', noiseMultiplier: 50, delta: 1e-5 });
    const worse = r.final.comparisons.filter((c) => c.method === 'federated' && c.reference === 'athleteMean' && c.verdict === 'worse');
    expect(worse.length).toBeGreaterThan(0);
    expect(r.warnings.some((w) => /destroyed utility: federated (mae|rmse)/.test(w))).toBe(true);
  });
});
