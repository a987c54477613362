import type { DailyLogRow } from '@huddle/shared/log';
import { twinMomentProblem } from '@huddle/shared/aggregation';
import { buildTwin, twinMomentVector, type PopulationPrior } from '@huddle/shared/twin';

export type PriorContribution = { ok: true; vector: Float64Array; personal: boolean } | { ok: false; reason: string };

/**
 * This device's part of one twin-prior round: its own twin fitted to its own log under the round's prior (one EM step),
 * as bounded moments. A vector outside its bounds is refused here, before anything is sent.
 */
export function twinPriorContribution(rows: readonly DailyLogRow[], prior: PopulationPrior): PriorContribution {
  // The moments are posterior means and variances: the fit's draws are not needed.
  const twin = buildTwin(rows, { prior, draws: 0 });
  const vector = twinMomentVector(twin.fit);
  const problem = twinMomentProblem(vector);
  if (problem !== null) return { ok: false, reason: `the twin's moments are outside their bounds (${problem}); nothing was sent` };
  return { ok: true, vector, personal: vector[0] === 1 };
}
