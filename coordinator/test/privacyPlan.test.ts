import { describe, expect, it } from 'vitest';
import { planSecureEncoding } from '@huddle/shared/aggregation';
import { computeEpsilon, createLedger, discreteGaussianSumTau, ledgerEpsilon } from '@huddle/shared/privacy';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import { distributedCorrection, planRoundPrivacy } from '../src/engine/privacyPlan.ts';
import { selectRound } from '../src/engine/selection.ts';
import { Prng } from '@huddle/shared/random';

function dpTask(noise: 'central' | 'distributed', z = 1): TaskConfig {
  const base = defaultTaskConfig('injury');
  return { ...base, clientsPerRound: 7, minClients: 3, overSelection: 1, secureAggregation: { ...base.secureAggregation, enabled: noise === 'distributed' }, privacy: { ...base.privacy, noise, noiseMultiplier: z, epsilonBudget: null } };
}

describe('the coordinator accounts what its selection does', () => {
  it('selects by Poisson check-in under DP with q = target / opted-in population, and charges that q as Poisson', () => {
    const config = dpTask('central');
    const eligible = Array.from({ length: 40 }, (_, i) => i);
    const { chosen, checkInRate } = selectRound(config, eligible, 200, new Prng(3));
    expect(checkInRate).toBe(7 / 200);
    expect(chosen.every((c) => eligible.includes(c))).toBe(true);
    const plan = planRoundPrivacy(config, checkInRate, createLedger('injury'));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.privacy!.entry).toEqual({ samplingRate: 0.035, noiseMultiplier: 1, steps: 1, sampling: 'poisson' });
    expect(plan.privacy!.epsilonAfter).toBeCloseTo(computeEpsilon({ noiseMultiplier: 1, samplingRate: 0.035, rounds: 1, delta: 1e-5 }).epsilon, 12);
  });

  it('without DP: a fixed-size sample and no check-in rate', () => {
    const base = defaultTaskConfig('injury');
    const { chosen, checkInRate } = selectRound({ ...base, clientsPerRound: 5, overSelection: 1 }, Array.from({ length: 40 }, (_, i) => i), 200, new Prng(3));
    expect(chosen).toHaveLength(5);
    expect(checkInRate).toBeNull();
  });

  it('the issue example: z = 1, 100 rounds, 7 of 200 opted in, delta 1e-5 under Poisson check-in is 2.914 (fixed-size would be 22.68)', () => {
    const q = selectRound(dpTask('central'), [], 200, new Prng(1)).checkInRate!;
    let ledger = createLedger('injury');
    for (let r = 0; r < 100; r++) {
      const plan = planRoundPrivacy(dpTask('central'), q, ledger);
      if (!plan.ok) throw new Error(plan.reason);
      ledger = { ...ledger, entries: [...ledger.entries, plan.privacy!.entry] };
    }
    expect(ledgerEpsilon(ledger, 1e-5).epsilon).toBeCloseTo(2.914, 2);
    expect(computeEpsilon({ noiseMultiplier: 1, samplingRate: q, rounds: 100, delta: 1e-5, sampling: 'fixed-size' }).epsilon).toBeCloseTo(22.68, 1);
  });
});

describe('distributed DP: the epsilon includes the distributed discrete Gaussian correction (KLS21)', () => {
  it('the engine records tau for its own encoding (0 at realistic sigmas) with the update dimension', () => {
    const config = dpTask('distributed');
    const enc = planSecureEncoding({ noise: 'distributed', clip: 1, parameters: 100, minClients: 3, needsIndividualUpdates: false, updateNoiseMultiplier: 1 }, 7);
    const ddg = distributedCorrection(enc, 7, 100, 1)!;
    expect(ddg).toEqual({ tau: discreteGaussianSumTau(enc.noiseSigma, 7), dimension: 100, noiseMultiplier: 1 });
    expect(enc.noiseSigma).toBeGreaterThan(100);
    const plan = planRoundPrivacy(config, 0.035, createLedger('injury'), ddg);
    expect(plan.ok && plan.privacy!.entry.ddg).toEqual(ddg);
    expect(distributedCorrection(null, 7, 100, 1)).toBeUndefined();
  });

  it('a small per-client sigma adds its correction on top of the Gaussian epsilon', () => {
    const config = dpTask('distributed');
    const sigma = 0.9;
    const ddg = distributedCorrection({ scale: 1, vectorLength: 13, noiseSigma: sigma, minNeighbours: 2, releaseStats: false, exampleWeightCap: 0 }, 7, 10, 1)!;
    expect(ddg.tau).toBeGreaterThan(1e-8);
    const without = planRoundPrivacy(config, 0.035, createLedger('injury'));
    const withDdg = planRoundPrivacy(config, 0.035, createLedger('injury'), ddg);
    if (!without.ok || !withDdg.ok) throw new Error('planning failed');
    expect(withDdg.privacy!.epsilonAfter).toBeGreaterThan(without.privacy!.epsilonAfter);
    const ledger = { taskId: 'injury', entries: [withDdg.privacy!.entry] };
    expect(withDdg.privacy!.epsilonAfter).toBeCloseTo(ledgerEpsilon(ledger, 1e-5).epsilon, 12);
  });
});
