import { checkInRate, discreteGaussianSumTau, DP_SAMPLING, ledgerEpsilon, updateNoiseMultiplier, wouldExceedBudget, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';
import type { SecureFit, TaskConfig } from '@huddle/shared/protocol';

export interface RoundPrivacy {
  entry: LedgerEntry;
  /** Noise multiplier applied to the update sum (raised when adaptive clipping spends part of the budget). */
  updateNoiseMultiplier: number;
  epsilonAfter: number;
  delta: number;
}

/** q of the engine's Poisson check-in for a target of `selected` from `population` (participantSampling.ts). */
export function samplingRate(selected: number, population: number): number {
  return checkInRate(selected, population);
}

export type PrivacyPlan = { ok: true; privacy: RoundPrivacy | null } | { ok: false; reason: string };

/** The noise multiplier on the update sum: the task's z, raised when the clip bits take part of it (Andrew et al. 2021). */
export function roundUpdateNoise(config: TaskConfig): { ok: true; z: number | null } | { ok: false; reason: string } {
  const p = config.privacy;
  if (p.noise === 'none') return { ok: true, z: null };
  const bitNoise = p.adaptiveClipping?.bitNoiseStd;
  if (bitNoise === undefined) return { ok: true, z: p.noiseMultiplier };
  try {
    return { ok: true, z: updateNoiseMultiplier(p.noiseMultiplier, bitNoise) };
  } catch (err) {
    return { ok: false, reason: `adaptive clipping: ${(err as Error).message}` };
  }
}

/**
 * User-level DP-FedAvg accounting for one round (McMahan et al. 2018): the Poisson-subsampled Gaussian with the
 * check-in rate q the selection used and the task's noise multiplier, plus (distributed noise) the distributed
 * discrete Gaussian's correction `ddg`, checked against the budget before any client is contacted.
 */
export function planRoundPrivacy(config: TaskConfig, q: number | null, ledger: PrivacyLedger, ddg?: LedgerEntry['ddg']): PrivacyPlan {
  const p = config.privacy;
  if (p.noise === 'none') return { ok: true, privacy: null };
  if (q === null) return { ok: false, reason: 'a noised round needs the check-in rate of its selection' };
  const noise = roundUpdateNoise(config);
  if (!noise.ok) return noise;
  const entry: LedgerEntry = { samplingRate: q, noiseMultiplier: p.noiseMultiplier, steps: 1, sampling: DP_SAMPLING, ...(ddg ? { ddg } : {}) };
  const updateZ = noise.z ?? p.noiseMultiplier;
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

/**
 * Distributed DP: Kairouz, Liu, Steinke 2021's correction for this round's per-client discrete Gaussian (sigma in
 * integer units, `clients` selected), recorded in the ledger entry even when tau underflows to 0. The update sum's
 * own noise multiplier is kept for it (below the task's z under adaptive clipping).
 */
export function distributedCorrection(encoding: SecureFit | null, clients: number, dimension: number, updateZ: number | null): LedgerEntry['ddg'] {
  if (!encoding || encoding.noiseSigma <= 0 || updateZ === null) return undefined;
  return { tau: discreteGaussianSumTau(encoding.noiseSigma, clients), dimension, noiseMultiplier: updateZ };
}
