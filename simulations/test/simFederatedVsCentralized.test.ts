import { describe, expect, it } from 'vitest';
import { runSimulation } from '../src/sim/runSimulation.ts';

/**
 * README fact: on synthetic data with 200 athletes, federated injury AUC is within 0.03 of the same
 * network trained centrally on the pooled training days. FedAvg with the task's default client
 * learning rate (0.1), 40 of 200 clients a round, one local epoch (two drift more on these small,
 * non-IID logs) and 120 rounds, which FedAvg needs to converge here. The centralized baseline gets
 * comparable epochs: rounds x local epochs x 40/200 = 24 passes over the pooled days.
 */
describe('federated vs centralized (synthetic, 200 athletes)', () => {
  it('federated AUC is within 0.03 of centralized', async () => {
    const r = await runSimulation({ dataset: 'synthetic', athletes: 200, rounds: 120, clientsPerRound: 40, localEpochs: 1, seed: 1 });
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
    expect(Math.abs(auc(f.centralized) - auc(f.federated))).toBeLessThan(0.03);
    // 120 rounds of 40 clients plus every reference (pooled boosted trees, athlete bootstrap): about a minute
    // on an idle 2-core machine, several on a loaded one.
  }, 300_000);
});
