import { describe, expect, it } from 'vitest';
import { erfc, logAdd, logErfc, logSub } from '../src/privacy/index.ts';

// Reference values from mpmath at 40 significant digits: log(erfc(x)) and erfc(x).
const REFERENCE: [x: number, logErfc: number, erfc: number][] = [
  [-3, 0.69313613525044681032, 1.9999779095030014146],
  [-0.5, 0.41903914777555958036, 1.5204998778130465377],
  [1e-6, -1.1283798037153877141e-6, 0.99999887162083290486],
  [0.5, -0.73501112983708440303, 0.47950012218695346232],
  [1.4, -3.04251197507412941, 0.047714880237351189484],
  [1.6, -3.7443238088601259666, 0.023651616655355992226],
  [3, -10.720363041981112568, 0.000022090496998585441373],
  [10, -102.87988902484488857, 2.088487583762544757e-45],
  [30, -903.97411711064387808, 0],
  [1000, -1000007.4801207219062, 0],
];

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('logErfc', () => {
  it.each(REFERENCE)('log(erfc(%f)) matches mpmath to 1e-12 relative', (x, expected) => {
    expect(relativeError(logErfc(x), expected)).toBeLessThan(1e-12);
  });

  it('stays finite where erfc itself underflows to 0', () => {
    expect(erfc(30)).toBe(0);
    expect(Number.isFinite(logErfc(30))).toBe(true);
  });

  it('handles the limits', () => {
    expect(logErfc(Infinity)).toBe(-Infinity);
    expect(logErfc(-Infinity)).toBeCloseTo(Math.LN2, 15);
    expect(logErfc(0)).toBeCloseTo(0, 15);
  });
});

describe('erfc', () => {
  it.each(REFERENCE.filter(([, , value]) => value > 0))('erfc(%f) matches mpmath to 1e-12 relative', (x, _log, expected) => {
    expect(relativeError(erfc(x), expected)).toBeLessThan(1e-12);
  });

  it('is continuous across the switch between the series and the continued fraction', () => {
    const below = erfc(1.5 - 1e-12);
    const above = erfc(1.5);
    expect(relativeError(below, above)).toBeLessThan(1e-11);
  });
});

describe('log-space arithmetic', () => {
  it('adds and subtracts exactly representable values', () => {
    expect(logAdd(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logSub(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
  });

  it('treats -Infinity as zero', () => {
    expect(logAdd(-Infinity, 1.5)).toBe(1.5);
    expect(logSub(1.5, -Infinity)).toBe(1.5);
    expect(logSub(1.5, 1.5)).toBe(-Infinity);
  });

  it('does not overflow for huge logarithms', () => {
    expect(logAdd(1e6, 1e6)).toBeCloseTo(1e6 + Math.LN2, 6);
    expect(logSub(1e6, 0)).toBe(1e6);
  });

  it('refuses a negative difference', () => {
    expect(() => logSub(1, 2)).toThrow(/non-negative/);
  });
});
