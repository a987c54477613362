import { describe, expect, it } from 'vitest';
import { defaultPrivacyPolicy, describePolicy, neighbourFloor, privacyPolicySchema, strictPrivacyPolicy, weakerTerms } from '../src/protocol/index.ts';
import { suggestedNeighbours } from '../src/secagg/index.ts';

describe('privacy policy', () => {
  it('the default floor on k matches the SecAgg+ suggestion min(n - 1, 2 ceil(log2 n))', () => {
    const p = defaultPrivacyPolicy();
    for (const n of [5, 6, 8, 9, 17, 100, 1000]) expect(neighbourFloor(p, n)).toBe(suggestedNeighbours(n));
    expect(neighbourFloor(p, 5)).toBe(4);
    expect(neighbourFloor(p, 1000)).toBe(20);
  });

  it('lists every weakened term and nothing for an equal or stronger policy', () => {
    const base = defaultPrivacyPolicy();
    expect(weakerTerms(base, base)).toEqual([]);
    expect(weakerTerms(base, strictPrivacyPolicy())).toEqual([]);
    const weaker = { ...base, minParticipants: 3, requireSignatures: false, dp: { required: false, minNoiseMultiplier: 0.1 }, statistics: { ...base.statistics } };
    expect(weakerTerms(base, weaker)).toEqual(['fewer participants (3 < 5)', 'unsigned peers', 'less noise (z 0.1 < 0.5)']);
    expect(weakerTerms(strictPrivacyPolicy(), base)).toEqual([
      'DP no longer required',
      'update released allowed',
      'exampleCount released allowed',
      'trainLoss released allowed',
      'clipBit released allowed',
      'evaluation released allowed',
    ]);
    const priorSecureOnly = { ...base, statistics: { ...base.statistics, twinPrior: 'secure-only' as const } };
    expect(weakerTerms(priorSecureOnly, base)).toEqual(['twinPrior released allowed']);
    expect(weakerTerms(base, priorSecureOnly)).toEqual([]);
    const audited = { ...base, auditorPublicKey: 'ab'.repeat(32) };
    expect(weakerTerms(audited, base)).toEqual(['a different or no auditor']);
  });

  it('describes the terms in plain words, saying what is protected and what is not', () => {
    const open = describePolicy(defaultPrivacyPolicy()).join('\n');
    expect(open).toMatch(/at least 5 participants/);
    expect(open).toMatch(/No independent auditor vouches for participants/);
    expect(open).toMatch(/may be sent to the coordinator on its own/);
    const strict = describePolicy({ ...strictPrivacyPolicy(), auditorPublicKey: 'cd'.repeat(32) }).join('\n');
    expect(strict).toMatch(/only inside a secure sum/);
    expect(strict).toMatch(/vouched for by the auditor \(key cdcdcdcdcdcdcdcd/);
    expect(strict).not.toMatch(/on its own/);
  });

  it('the schema refuses malformed terms', () => {
    expect(privacyPolicySchema.safeParse({ ...defaultPrivacyPolicy(), minParticipants: 2 }).success).toBe(false);
    expect(privacyPolicySchema.safeParse({ ...defaultPrivacyPolicy(), auditorPublicKey: 'xyz' }).success).toBe(false);
    expect(privacyPolicySchema.safeParse({ ...defaultPrivacyPolicy(), statistics: { ...defaultPrivacyPolicy().statistics, update: 'sometimes' } }).success).toBe(false);
  });
});
