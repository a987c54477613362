import { describe, expect, it } from 'vitest';
import { chooseScale, dequantizeSum, quantize } from '../src/secagg/index.ts';

function clippedUpdate(length: number, clip: number): Float32Array {
  const u = new Float32Array(length);
  let norm = 0;
  for (let i = 0; i < length; i++) {
    u[i] = Math.random() * 2 - 1;
    norm += u[i]! * u[i]!;
  }
  const f = clip / Math.sqrt(norm) * 0.999;
  for (let i = 0; i < length; i++) u[i] = u[i]! * f;
  return u;
}

describe('quantization', () => {
  it('chooseScale keeps n * (clip * scale + 1) below 2^31 (minus headroom) and is a power of two', () => {
    for (const [clip, maxClients, headroomBits] of [
      [1, 100, 0],
      [5, 1000, 0],
      [0.1, 10_000, 2],
      [3, 1, 0],
    ] as const) {
      const scale = chooseScale({ clip, maxClients, headroomBits });
      expect(Math.log2(scale) % 1).toBe(0);
      expect(maxClients * (clip * scale + 1)).toBeLessThan(2 ** (31 - headroomBits));
      expect(maxClients * (clip * 2 * scale + 1)).toBeGreaterThanOrEqual(2 ** (31 - headroomBits) - 1);
    }
    expect(() => chooseScale({ clip: 1, maxClients: 2 ** 31 })).toThrow(RangeError);
    expect(() => chooseScale({ clip: 0, maxClients: 10 })).toThrow(RangeError);
  });

  it('sum of n quantized updates dequantizes within n / scale (plus float32 rounding), without wraparound', () => {
    const n = 50;
    const clip = 2;
    const d = 2000;
    const scale = chooseScale({ clip, maxClients: n });
    const updates = Array.from({ length: n }, () => clippedUpdate(d, clip));
    // Worst case for wraparound: one coordinate at +clip / -clip in every update.
    for (const u of updates) {
      u[0] = clip;
      u[1] = -clip;
    }
    const sum = new Uint32Array(d);
    for (const u of updates) {
      const q = quantize(u, scale);
      for (let i = 0; i < d; i++) sum[i] = sum[i]! + q[i]!;
    }
    const got = dequantizeSum(sum, scale);
    for (let i = 0; i < d; i++) {
      let exact = 0;
      for (const u of updates) exact += u[i]!;
      const tolerance = n / scale + Math.abs(exact) * 2 ** -23;
      expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(tolerance);
    }
    expect(got[0]).toBeCloseTo(n * clip, 3);
    expect(got[1]).toBeCloseTo(-n * clip, 3);
  });

  it('negative values are two\'s complement and rounding is stochastic and unbiased', () => {
    expect(Array.from(quantize([-1], 1))).toEqual([0xffffffff]);
    expect(Array.from(quantize([-3], 1))).toEqual([0xfffffffd]);
    const trials = 100_000;
    const q = quantize(new Float64Array(trials).fill(0.25), 1);
    let mean = 0;
    let outside = 0;
    for (const v of q) {
      if (v !== 0 && v !== 1) outside++;
      mean += v;
    }
    expect(outside).toBe(0);
    mean /= trials;
    // sd of the mean = sqrt(0.25 * 0.75 / 1e5) ~ 0.00137; 6 sd.
    expect(Math.abs(mean - 0.25)).toBeLessThan(0.0083);
    const neg = quantize(new Float64Array(trials).fill(-0.75), 1);
    let negMean = 0;
    for (const v of neg) negMean += v | 0;
    expect(Math.abs(negMean / trials + 0.75)).toBeLessThan(0.0083);
  });

  it('refuses non-finite values and int32 overflow', () => {
    expect(() => quantize([Number.NaN], 1)).toThrow(RangeError);
    expect(() => quantize([Number.POSITIVE_INFINITY], 1)).toThrow(RangeError);
    expect(() => quantize([2 ** 31], 1)).toThrow(RangeError);
    expect(() => quantize([1], 0)).toThrow(RangeError);
    expect(Array.from(quantize([2 ** 31 - 2], 1))).toEqual([2 ** 31 - 2]);
  });
});
