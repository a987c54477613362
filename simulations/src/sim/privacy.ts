import { computeEpsilon, findNoiseMultiplier, ledgerEpsilon, type PrivacyLedger } from '@huddle/shared/privacy';

import { SimUsageError, type SimOptions } from './options.ts';

export interface PrivacyPlan {
  /** 0 = no noise. */
  noiseMultiplier: number;
  delta: number | null;
  /** Chance that a training client is selected in a round: selected per round / training clients. */
  samplingRate: number;
  targetEpsilon: number | null;
}

export function privacyPlan(o: SimOptions, trainingClients: number): PrivacyPlan {
  const samplingRate = Math.min(1, Math.ceil(o.clientsPerRound * o.overSelection) / trainingClients);
  const delta = o.delta ?? null;
  if (o.targetEpsilon === undefined) return { noiseMultiplier: o.noiseMultiplier ?? 0, delta, samplingRate, targetEpsilon: null };
  try {
    const found = findNoiseMultiplier({ targetEpsilon: o.targetEpsilon, samplingRate, rounds: o.rounds, delta: delta! });
    return { noiseMultiplier: found.noiseMultiplier, delta, samplingRate, targetEpsilon: o.targetEpsilon };
  } catch (err) {
    throw new SimUsageError(`--target-epsilon ${o.targetEpsilon}: ${(err as Error).message}`);
  }
}

/** Epsilon after `rounds` rounds at the plan's noise, or null without noise (no guarantee) or delta. */
export function configEpsilon(plan: PrivacyPlan, rounds: number): number | null {
  if (plan.noiseMultiplier <= 0 || plan.delta === null || rounds < 1) return null;
  const e = computeEpsilon({ noiseMultiplier: plan.noiseMultiplier, samplingRate: plan.samplingRate, rounds, delta: plan.delta }).epsilon;
  return Number.isFinite(e) ? e : null;
}

/** Epsilon of the first `entries` charges of the engine's ledger. */
export function ledgerEpsilonAt(ledger: PrivacyLedger, entries: number, delta: number): number | null {
  if (entries === 0) return null;
  const e = ledgerEpsilon({ taskId: ledger.taskId, entries: ledger.entries.slice(0, entries) }, delta).epsilon;
  return Number.isFinite(e) ? e : null;
}
