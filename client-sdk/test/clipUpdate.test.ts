import { describe, expect, it } from 'vitest';
import { clippedDelta } from '@huddle/client-sdk';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('the update a client sends', () => {
  it('is local minus global, scaled down to the bound but never up', () => {
    const global = Float32Array.from([1, 1, 1]);
    const big = clippedDelta(Float32Array.from([4, 5, 1]), global, 1);
    expect(big.norm).toBeCloseTo(5, 6);
    expect(big.clipped).toBe(true);
    expect(norm(big.update)).toBeLessThanOrEqual(1);
    expect(big.update[0]! / big.update[1]!).toBeCloseTo(3 / 4, 5);
    const small = clippedDelta(Float32Array.from([1.3, 0.6, 1]), global, 1);
    expect(small.clipped).toBe(false);
    expect(Array.from(small.update)).toEqual([Math.fround(1.3) - 1, Math.fround(0.6) - 1, 0]);
  });

  it('refuses diverged (non-finite) weights instead of sending them', () => {
    expect(() => clippedDelta(Float32Array.from([Number.NaN, 0]), new Float32Array(2), 1)).toThrow(/non-finite/);
  });
});
