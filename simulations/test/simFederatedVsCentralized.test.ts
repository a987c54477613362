import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';

/**
 * Issue 9 "done when": on synthetic data with 200 athletes, with the task's default settings (the additive
 * model, docs/models.md) and 30 rounds of 10 clients, federated injury AUC is within 0.02 of the same model
 * trained centrally: 30 boosting rounds on the pooled training days.
 */
describe('federated vs centralized (synthetic, 200 athletes)', () => {
  it('with defaults at 30 rounds, federated AUC is within 0.02 of centralized', async () => {
    const r = await runSimulation({ dataset: 'synthetic', athletes: 200, rounds: 30, seed: 1 });
    const f = r.final;
    const auc = (m: object): number => ('auc' in m && typeof m.auc === 'number' ? m.auc : NaN);
    const rows = [
      ['federated', auc(f.federated)],
      ['personalized', auc(f.personalized)],
      ['centralized', auc(f.centralized)],
      ['local-only', auc(f.localOnly)],
      ...('acwrRule' in f.heuristic ? [['ACWR > 1.5 (7:28)', auc(f.heuristic.acwrRule)] as const, ['ACWR > 1.5 (EWMA)', auc(f.heuristic.acwrEwmaRule)] as const] : []),
    ] as const;
    console.log(
      `synthetic injury, ${r.dataset.athletes} athletes, ${r.dataset.trainExamples} training / ${r.dataset.testExamples} test days (${r.dataset.testPositives} positive), ${r.rounds.length} rounds in ${(r.timing.federationMs / 1000).toFixed(1)} s\n` +
        rows.map(([name, v]) => `  ${name.padEnd(18)} AUC ${v.toFixed(4)}`).join('\n') +
        `\n  gap centralized - federated: ${(auc(f.centralized) - auc(f.federated)).toFixed(4)}`,
    );
    expect(r.rounds.every((x) => x.status === 'completed')).toBe(true);
    expect(Math.abs(auc(f.centralized) - auc(f.federated))).toBeLessThan(0.02);
    // 30 rounds of 10 clients plus every reference (pooled boosted trees, athlete bootstrap): under a minute
    // on an idle 2-core machine, several on a loaded one.
  }, 300_000);
});
