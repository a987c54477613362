import { addMoments, buildTwin, DEFAULT_PRIOR, fitLoadRiskModel, priorFromMoments, twinHistory, twinMomentVector, twinState, type LoadRiskModel, type PopulationPrior } from '@huddle/shared/twin';
import { athleteStreams } from '../synthetic/generate.ts';
import { blockStart } from './population.ts';
import { PLAN_TUNING } from './tuning.ts';

/**
 * What the federation would learn before planning, on the tuning seed's athletes: the population prior of twin
 * parameters from each athlete's moment vector (summed here in-process: the same sum the secure-sum path computes)
 * and the load-risk model (pooled here; see docs/planning.md for what is federated).
 */
export function learnFromTuningSeed(seed: number, athletes: number, historyDays: number, rounds: number = PLAN_TUNING.priorRounds): { prior: PopulationPrior; riskModel: LoadRiskModel } {
  const streams = athleteStreams({ athletes, seed });
  const starts = Array.from({ length: athletes }, (_, i) => blockStart(seed, i, historyDays, streams));
  const riskModel = fitLoadRiskModel(starts.map((s) => {
    const history = twinHistory(s.rows);
    return { history, state: twinState(history, '2000-01-01') };
  }));
  // One secure sum per EM round: every device refits under the current prior and adds its posterior moments.
  let prior = DEFAULT_PRIOR;
  for (let round = 0; round < rounds; round++) {
    const moments = starts.map((s) => twinMomentVector(buildTwin(s.rows, { prior, riskModel, draws: 0 }).fit));
    prior = priorFromMoments(addMoments(moments));
  }
  return { prior, riskModel };
}
