import { describe, expect, it } from 'vitest';
import {
  computeEpsilon,
  computeRdp,
  createLedger,
  ledgerEpsilon,
  ledgerRdp,
  type LedgerEntry,
  parseLedger,
  type PrivacyLedger,
  recordRound,
  wouldExceedBudget,
} from '../src/privacy/index.ts';

const round: LedgerEntry = { samplingRate: 0.02, noiseMultiplier: 1.1, steps: 1 };

function ledgerOf(entries: LedgerEntry[]): PrivacyLedger {
  return entries.reduce(recordRound, createLedger('injury-risk'));
}

describe('privacy ledger', () => {
  it('starts at zero epsilon', () => {
    expect(ledgerEpsilon(createLedger('t'), 1e-5).epsilon).toBe(0);
  });

  it('matches computeEpsilon for identical rounds', () => {
    const ledger = ledgerOf(Array.from({ length: 50 }, () => round));
    const direct = computeEpsilon({ noiseMultiplier: 1.1, samplingRate: 0.02, rounds: 50, delta: 1e-5 });
    expect(ledgerEpsilon(ledger, 1e-5)).toEqual(direct);
  });

  it('composes heterogeneous rounds by adding RDP per order', () => {
    const orders = [1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 64, 256];
    const ledger = ledgerOf([
      { samplingRate: 1e-4, noiseMultiplier: 0.4, steps: 40000 },
      { samplingRate: 0.1, noiseMultiplier: 2, steps: 60 },
      { samplingRate: 0.1, noiseMultiplier: 2, steps: 40 },
    ]);
    const separately = computeRdp(1e-4, 0.4, 40000, orders).map((value, k) => value + computeRdp(0.1, 2, 100, orders)[k]!);
    ledgerRdp(ledger, orders).forEach((value, k) => expect(value).toBeCloseTo(separately[k]!, 10));
    // TF Privacy's test_check_composition figure for the classic conversion.
    expect(ledgerEpsilon(ledger, 1e-5, 'mironov2017', orders).epsilon).toBeCloseTo(8.509656, 6);
  });

  it('records rounds without mutating the ledger it was given', () => {
    const before = createLedger('t');
    const after = recordRound(before, round);
    expect(before.entries).toHaveLength(0);
    expect(after.entries).toEqual([round]);
  });

  it('survives a JSON round trip', () => {
    const ledger = ledgerOf([round, { samplingRate: 1, noiseMultiplier: 3, steps: 2 }]);
    const restored = parseLedger(JSON.parse(JSON.stringify(ledger)));
    expect(restored).toEqual(ledger);
    expect(ledgerEpsilon(restored, 1e-5)).toEqual(ledgerEpsilon(ledger, 1e-5));
  });

  it.each([
    ['a missing task id', { entries: [] }],
    ['a zero sampling rate', { taskId: 't', entries: [{ ...round, samplingRate: 0 }] }],
    ['a sampling rate above 1', { taskId: 't', entries: [{ ...round, samplingRate: 1.5 }] }],
    ['a negative noise multiplier', { taskId: 't', entries: [{ ...round, noiseMultiplier: -1 }] }],
    ['fractional steps', { taskId: 't', entries: [{ ...round, steps: 1.5 }] }],
    ['a string where a number belongs', { taskId: 't', entries: [{ ...round, steps: '1' }] }],
  ])('rejects a stored ledger with %s', (_reason, data) => {
    expect(() => parseLedger(data)).toThrow();
  });

  it('refuses to record an invalid round', () => {
    expect(() => recordRound(createLedger('t'), { ...round, noiseMultiplier: 0 })).toThrow(/noiseMultiplier/);
  });
});

describe('wouldExceedBudget', () => {
  const ledger = ledgerOf(Array.from({ length: 99 }, () => round));
  const epsilonAfter = ledgerEpsilon(recordRound(ledger, round), 1e-5).epsilon;

  it('allows a round that stays within the budget', () => {
    const decision = wouldExceedBudget(ledger, round, { epsilon: epsilonAfter + 1e-9, delta: 1e-5 });
    expect(decision.allowed).toBe(true);
    expect(decision.epsilonAfter).toBe(epsilonAfter);
    expect(decision.reason).toMatch(/within/);
  });

  it('refuses a round that would overspend, saying why', () => {
    const decision = wouldExceedBudget(ledger, round, { epsilon: epsilonAfter - 1e-9, delta: 1e-5 });
    expect(decision.allowed).toBe(false);
    expect(decision.epsilonAfter).toBe(epsilonAfter);
    expect(decision.reason).toMatch(/exceed/);
    expect(decision.reason).toContain('injury-risk');
  });

  it('rejects an invalid budget', () => {
    expect(() => wouldExceedBudget(ledger, round, { epsilon: 0, delta: 1e-5 })).toThrow(/budget/);
    expect(() => wouldExceedBudget(ledger, round, { epsilon: 1, delta: 0 })).toThrow(/budget/);
  });
});
