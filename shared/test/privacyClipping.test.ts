import { describe, expect, it } from 'vitest';
import { clipL2, clipL2InPlace, l2Norm } from '../src/privacy/index.ts';

describe('l2Norm', () => {
  it('computes the Euclidean norm', () => {
    expect(l2Norm(new Float32Array([3, 4]))).toBe(5);
    expect(l2Norm(new Float32Array(0))).toBe(0);
  });

  it('does not overflow where float32 arithmetic would', () => {
    expect(l2Norm(new Float32Array([3e30, 4e30]))).toBeCloseTo(5e30, -24);
  });
});

describe('clipL2', () => {
  it('scales an oversized update onto the bound without touching the input', () => {
    const update = new Float32Array([3, 4, 0]);
    const { clipped, norm, scale } = clipL2(update, 1);
    expect(norm).toBe(5);
    expect(scale).toBeCloseTo(0.2, 5);
    expect(l2Norm(clipped)).toBeLessThanOrEqual(1);
    expect(l2Norm(clipped)).toBeCloseTo(1, 5);
    expect(Array.from(update)).toEqual([3, 4, 0]);
  });

  it('keeps the clipped norm within the bound despite float32 rounding', () => {
    const update = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 7.3);
    for (const bound of [0.1, 1, 3.3, 17]) expect(l2Norm(clipL2(update, bound).clipped)).toBeLessThanOrEqual(bound);
  });

  it('returns an unchanged copy when the update is already within the bound', () => {
    const update = new Float32Array([0.3, -0.4]);
    const { clipped, scale } = clipL2(update, 1);
    expect(scale).toBe(1);
    expect(clipped).not.toBe(update);
    expect(Array.from(clipped)).toEqual(Array.from(update));
  });

  it('handles the zero vector', () => {
    expect(clipL2(new Float32Array(4), 1)).toEqual({ clipped: new Float32Array(4), norm: 0, scale: 1 });
  });

  it('refuses non-finite updates and invalid bounds', () => {
    expect(() => clipL2(new Float32Array([1, NaN]), 1)).toThrow(/non-finite/);
    expect(() => clipL2(new Float32Array([1, Infinity]), 1)).toThrow(/non-finite/);
    expect(() => clipL2(new Float32Array([1]), 0)).toThrow(/bound/);
    expect(() => clipL2(new Float32Array([1]), NaN)).toThrow(/bound/);
  });
});

describe('clipL2InPlace', () => {
  it('clips the given array itself', () => {
    const update = new Float32Array([6, 8]);
    const { clipped, norm } = clipL2InPlace(update, 2);
    expect(clipped).toBe(update);
    expect(norm).toBe(10);
    expect(l2Norm(update)).toBeLessThanOrEqual(2);
    expect(update[0]! / update[1]!).toBeCloseTo(0.75, 6);
  });
});
