import { samplingRate as engineSamplingRate, selectionSize } from '@huddle/coordinator';
import { findNoiseMultiplier, ledgerEpsilon, type PrivacyLedger } from '@huddle/shared/privacy';

import type { SimOptions } from './options.ts';
import { SimUsageError } from './usageError.ts';

export interface PrivacyPlan {
  /** 0 = no noise. */
  noiseMultiplier: number;
  delta: number | null;
  /** Chance that a training client is selected in a round: selected per round / training clients. */
  samplingRate: number;
  targetEpsilon: number | null;
}

export function privacyPlan(o: SimOptions, trainingClients: number): PrivacyPlan {
  // The engine's q for a full selection from this population (its own formula, not a copy).
  const samplingRate = engineSamplingRate(selectionSize(o.clientsPerRound, o.overSelection), trainingClients);
  const delta = o.delta ?? null;
  if (o.targetEpsilon === undefined) return { noiseMultiplier: o.noiseMultiplier ?? 0, delta, samplingRate, targetEpsilon: null };
  try {
    const found = findNoiseMultiplier({ targetEpsilon: o.targetEpsilon, samplingRate, rounds: o.rounds, delta: delta! });
    return { noiseMultiplier: found.noiseMultiplier, delta, samplingRate, targetEpsilon: o.targetEpsilon };
  } catch (err) {
    throw new SimUsageError(`--target-epsilon ${o.targetEpsilon}: ${(err as Error).message}`);
  }
}

/** Epsilon of the first `entries` charges of the engine's ledger. */
export function ledgerEpsilonAt(ledger: PrivacyLedger, entries: number, delta: number): number | null {
  if (entries === 0) return null;
  const e = ledgerEpsilon({ taskId: ledger.taskId, entries: ledger.entries.slice(0, entries) }, delta).epsilon;
  return Number.isFinite(e) ? e : null;
}
