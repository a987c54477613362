import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSoccerMonDir, SOCCERMON_DIR_ENV } from '../src/datasets/index.ts';
import { runSimulation } from '../src/sim/runSimulation.ts';

/**
 * README fact: on SoccerMon readiness, the federated or the personalized model has a lower MAE than
 * both heuristics (tomorrow = today, and the athlete's own mean). FedAdam (Reddi et al. 2021, engine
 * defaults) because readiness logs differ a lot between players and plain FedAvg converges slowly on
 * them; all players opt in, half of them train each round, one local epoch, 100 rounds; each player
 * then fine-tunes the global model for 5 epochs on its own training days.
 */
describe('SoccerMon readiness', () => {
  it('federated or personalized MAE beats both heuristics', async () => {
    if (!existsSync(defaultSoccerMonDir())) throw new Error(`SoccerMon data not found at ${defaultSoccerMonDir()} (set ${SOCCERMON_DIR_ENV}); this test never skips`);
    const r = await runSimulation({ dataset: 'soccermon', task: 'readiness', strategy: 'fedadam', rounds: 100, clientsPerRound: 25, localEpochs: 1, personalizeEpochs: 5, seed: 1 });
    const f = r.final;
    if (!('persistence' in f.heuristic)) throw new Error('readiness results must carry the readiness heuristics');
    const mae = (m: object): number => ('mae' in m && typeof m.mae === 'number' ? m.mae : NaN);
    const table: [string, number, number | null][] = [
      ['federated', mae(f.federated), f.federated.kind === 'regression' ? f.federated.rmse : null],
      ['personalized', mae(f.personalized), f.personalized.kind === 'regression' ? f.personalized.rmse : null],
      ['centralized', mae(f.centralized), f.centralized.kind === 'regression' ? f.centralized.rmse : null],
      ['local-only', mae(f.localOnly), f.localOnly.kind === 'regression' ? f.localOnly.rmse : null],
      ['persistence', mae(f.heuristic.persistence), f.heuristic.persistence.rmse],
      ['athlete mean', mae(f.heuristic.athleteMean), f.heuristic.athleteMean.rmse],
    ];
    console.log(
      `SoccerMon readiness: ${r.dataset.athletes} players, ${r.dataset.trainExamples} training / ${r.dataset.testExamples} test days, ${r.rounds.length} rounds in ${(r.timing.federationMs / 1000).toFixed(1)} s\n` +
        `  method         MAE     RMSE\n` +
        table.map(([name, m, s]) => `  ${name.padEnd(13)} ${m.toFixed(4)}  ${s === null ? 'n/a' : s.toFixed(4)}`).join('\n'),
    );
    const bestHeuristic = Math.min(mae(f.heuristic.persistence), mae(f.heuristic.athleteMean));
    expect(Math.min(mae(f.federated), mae(f.personalized))).toBeLessThan(bestHeuristic);
  });
});
