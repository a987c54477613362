import { ledgerEpsilon, updateNoiseMultiplier, wouldExceedBudget, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';
import type { TaskConfig } from '@huddle/shared/protocol';

export interface RoundPrivacy {
  entry: LedgerEntry;
  /** Noise multiplier applied to the update sum (raised when adaptive clipping spends part of the budget). */
  updateNoiseMultiplier: number;
  epsilonAfter: number;
  delta: number;
}

/** q = selected / population: the sampling rate of the subsampled-Gaussian accountant. */
export function samplingRate(selected: number, population: number): number {
  return Math.min(1, selected / Math.max(population, selected));
}

export type PrivacyPlan = { ok: true; privacy: RoundPrivacy | null } | { ok: false; reason: string };

/**
 * User-level DP-FedAvg accounting for one round (McMahan et al. 2018): the subsampled Gaussian with
 * q = selected / population and the task's noise multiplier, checked against the budget before any
 * client is contacted.
 */
export function planRoundPrivacy(config: TaskConfig, selected: number, population: number, ledger: PrivacyLedger): PrivacyPlan {
  const p = config.privacy;
  if (p.noise === 'none') return { ok: true, privacy: null };
  const entry: LedgerEntry = { samplingRate: samplingRate(selected, population), noiseMultiplier: p.noiseMultiplier, steps: 1 };
  const bitNoise = p.adaptiveClipping?.bitNoiseStd ?? 0;
  let updateZ = p.noiseMultiplier;
  if (bitNoise > 0) {
    try {
      updateZ = updateNoiseMultiplier(p.noiseMultiplier, bitNoise);
    } catch (err) {
      return { ok: false, reason: `adaptive clipping: ${(err as Error).message}` };
    }
  }
  if (p.epsilonBudget !== null) {
    const decision = wouldExceedBudget(ledger, entry, { epsilon: p.epsilonBudget, delta: p.delta });
    if (!decision.allowed) {
      const spent = ledger.entries.length > 0 ? ledgerEpsilon(ledger, p.delta).epsilon : 0;
      return { ok: false, reason: `privacy budget: this round would take epsilon from ${spent.toFixed(3)} to ${decision.epsilonAfter.toFixed(3)}, past the budget of ${p.epsilonBudget} (delta ${p.delta})` };
    }
    return { ok: true, privacy: { entry, updateNoiseMultiplier: updateZ, epsilonAfter: decision.epsilonAfter, delta: p.delta } };
  }
  const after = ledgerEpsilon({ ...ledger, entries: [...ledger.entries, entry] }, p.delta).epsilon;
  return { ok: true, privacy: { entry, updateNoiseMultiplier: updateZ, epsilonAfter: after, delta: p.delta } };
}
