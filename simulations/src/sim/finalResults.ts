import type { PooledGbdtResult } from '../baselines/gbdt/index.ts';
import { collapseWarnings, dpUtilityWarnings } from './collapse.ts';
import { standardPairs } from './comparisons.ts';
import { BOOTSTRAP_RESAMPLES, INTERVAL_LEVEL, scoreMethods, type TestSet } from './evaluation.ts';
import type { MethodPredictions } from './metrics.ts';
import type { SimResults } from './resultsSchema.ts';

/** Methods trained on the data (heuristics and rules are not checked for collapse: a rule may be constant by design). */
const MODELS = ['federated', 'personalized', 'centralized', 'localOnly', 'pooledGbdt', 'pooledGbdtSquared'];
const HEURISTICS = ['acwrRule', 'acwrEwmaRule', 'athleteRate', 'persistence', 'athleteMean'];

export interface FinalOptions {
  /** Seed of the athlete resamples (shared by every method: comparisons are paired). */
  seed: number;
  resamples?: number;
  noiseMultiplier: number;
  referenceSettings: Record<string, PooledGbdtResult['chosen']>;
}

/** Scores every method with intervals and paired comparisons, and flags collapsed models and DP runs that destroyed utility. */
export function finalResults(test: TestSet, methods: Record<string, MethodPredictions>, o: FinalOptions): { final: SimResults['final']; warnings: string[] } {
  const resamples = o.resamples ?? BOOTSTRAP_RESAMPLES;
  const pairs = standardPairs(test.task, new Set(Object.keys(methods)));
  const { results, comparisons } = scoreMethods(test, methods, pairs, { resamples, seed: o.seed });
  const warnings: string[] = [];
  const scored = results.federated;
  if (scored?.kind === 'binary' && scored.n > 0 && (scored.positives === 0 || scored.positives === scored.n)) {
    warnings.push(`the ${scored.n} test days hold ${scored.positives === 0 ? 'no injury' : 'only injury days'}: AUC and PR AUC are undefined (no method can be ranked by them); only Brier, log loss and ECE compare`);
  }
  for (const key of MODELS) if (methods[key]) warnings.push(...collapseWarnings(key, methods[key], results[key]!));
  warnings.push(...dpUtilityWarnings(o.noiseMultiplier, comparisons));
  const heuristic = Object.fromEntries(HEURISTICS.filter((k) => results[k]).map((k) => [k, results[k]!]));
  const final = {
    federated: results.federated!,
    personalized: results.personalized!,
    centralized: results.centralized!,
    localOnly: results.localOnly!,
    pooledGbdt: results.pooledGbdt!,
    ...(results.pooledGbdtSquared && { pooledGbdtSquared: results.pooledGbdtSquared }),
    heuristic,
    comparisons,
    bootstrap: { unit: 'athlete' as const, resamples, seed: o.seed, level: INTERVAL_LEVEL },
    referenceSettings: o.referenceSettings,
  };
  return { final: final as SimResults['final'], warnings };
}
