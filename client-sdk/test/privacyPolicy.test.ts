import { describe, expect, it } from 'vitest';
import { defaultPrivacyPolicy, strictPrivacyPolicy, type SecureFit } from '@huddle/shared/protocol';
import { SecAggError, toHex } from '@huddle/shared/secagg';
import { checkEvaluateRequest, checkFitRequest, minSurvivorsForNoise, refusalOf, secAggPolicy } from '../src/privacyPolicy.ts';

const enc: SecureFit = { scale: 1024, vectorLength: 10, noiseSigma: 0, minNeighbours: 2, releaseStats: false, exampleWeightCap: 0 };

describe('client privacy policy mapping', () => {
  it('lets the evaluation vector leave only as the policy allows: secure-only refuses plaintext, DP required refuses no device noise', () => {
    const secureOnly = { ...defaultPrivacyPolicy(), statistics: { ...defaultPrivacyPolicy().statistics, evaluation: 'secure-only' as const } };
    expect(checkEvaluateRequest(secureOnly, { secure: null })?.code).toBe('statistic-refused');
    expect(checkEvaluateRequest(secureOnly, { secure: enc })).toBeNull();
    expect(checkEvaluateRequest(defaultPrivacyPolicy(), { secure: null })).toBeNull();
    const never = { ...defaultPrivacyPolicy(), statistics: { ...defaultPrivacyPolicy().statistics, evaluation: 'never' as const } };
    expect(checkEvaluateRequest(never, { secure: enc })?.code).toBe('statistic-refused');
    expect(checkEvaluateRequest(strictPrivacyPolicy(), { secure: enc })?.code).toBe('dp-required');
    expect(checkEvaluateRequest(strictPrivacyPolicy(), { secure: { ...enc, noiseSigma: 100 } })).toBeNull();
    expect(checkEvaluateRequest(defaultPrivacyPolicy(), { secure: { ...enc, releaseStats: true } })?.code).toBe('statistic-refused');
  });

  it('survivors needed for the noise floor: sqrt(m) sigma / (clip scale) >= z_min', () => {
    const policy = { ...defaultPrivacyPolicy(), dp: { required: true, minNoiseMultiplier: 0.5 } };
    // sigma sized for exactly 9 survivors at z = 0.5 with clip 2.
    const sigma = (0.5 * 2 * 1024) / 3;
    expect(minSurvivorsForNoise(policy, { ...enc, noiseSigma: sigma }, 2)).toBe(9);
    expect(minSurvivorsForNoise(policy, { ...enc, noiseSigma: sigma * 2 }, 2)).toBe(3);
    expect(minSurvivorsForNoise(policy, { ...enc, noiseSigma: sigma }, 4)).toBe(36);
    expect(minSurvivorsForNoise(policy, enc, 2)).toBe(0);
    // A noised clip bit composes with the update (Andrew et al. Theorem 1): at equal noise ratios the floor doubles.
    expect(minSurvivorsForNoise(policy, { ...enc, noiseSigma: sigma, clipBitNoiseSigma: 256 / 12 }, 2)).toBe(18);
  });

  it('under distributed DP refuses a round that asks for the clip bit without device noise on it', () => {
    const policy = defaultPrivacyPolicy();
    const secure = { ...enc, noiseSigma: 500 };
    const request = (s: SecureFit, clipBitBound: number | null) => ({ config: { clipNorm: 1 }, secure: s, clipBitBound }) as unknown as Parameters<typeof checkFitRequest>[1];
    expect(checkFitRequest(policy, request(secure, 1))).toEqual({ code: 'statistic-refused', reason: 'the clip bit would be summed without noise under DP' });
    expect(checkFitRequest(policy, request({ ...secure, clipBitNoiseSigma: 100 }, 1))).toBeNull();
    expect(checkFitRequest(policy, request(secure, null))).toBeNull();
  });

  it('the SecAgg policy carries the floors, the auditor key and the larger of the coordinator and policy k floors', () => {
    const auditor = new Uint8Array(32).fill(7);
    const p = secAggPolicy({ ...defaultPrivacyPolicy(), auditorPublicKey: toHex(auditor) }, { ...enc, minNeighbours: 9 }, 1);
    expect(p.requireSignatures).toBe(true);
    expect(Array.from(p.auditorPublicKey!)).toEqual(Array.from(auditor));
    expect(p.minParticipants).toBe(5);
    expect(p.minSurvivors).toBe(5);
    const k = p.minNeighbours as (n: number) => number;
    expect([k(5), k(100), k(1000)]).toEqual([9, 14, 20]);
  });

  it('names SecAgg refusals in the athlete-facing codes', () => {
    expect(refusalOf(new SecAggError('POLICY_REFUSED', 'x')).code).toBe('roster-below-policy');
    expect(refusalOf(new SecAggError('SIGNATURE_INVALID', 'x')).code).toBe('peer-not-authenticated');
    expect(refusalOf(new SecAggError('CONSISTENCY_FAILED', 'x')).code).toBe('views-inconsistent');
    expect(refusalOf(new SecAggError('BAD_SHARE', 'x')).code).toBe('bad-share');
    expect(refusalOf(new Error('boom'))).toEqual({ code: 'protocol-violation', reason: 'boom' });
  });
});
