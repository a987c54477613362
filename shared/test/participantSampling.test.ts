import { describe, expect, it } from 'vitest';
import { checkInRate, poissonCheckIn, uniformSample } from '../src/privacy/index.ts';
import { Prng } from '../src/random/index.ts';
import { defaultTaskConfig, taskConfigSchema } from '../src/protocol/index.ts';

const ids = Array.from({ length: 50 }, (_, i) => `c${i}`);

describe('Poisson check-in (the DP selection rule)', () => {
  it('q is target / population, capped at 1', () => {
    expect(checkInRate(7, 200)).toBe(0.035);
    expect(checkInRate(7, 5)).toBe(1);
    expect(() => checkInRate(0, 10)).toThrow(/positive/);
  });

  it('each client takes part independently with probability q (frequency over 400 rounds within 4 sigma)', () => {
    const random = new Prng(11);
    const q = 0.3;
    const counts = new Map<string, number>();
    const sizes = new Set<number>();
    const rounds = 400;
    for (let r = 0; r < rounds; r++) {
      const chosen = poissonCheckIn(ids, q, random);
      sizes.add(chosen.length);
      for (const id of chosen) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const trials = rounds * ids.length;
    expect(Math.abs(total - q * trials)).toBeLessThan(4 * Math.sqrt(trials * q * (1 - q)));
    // Every client checks in at its own rate (Binomial(400, 0.3): mean 120, sd 9.2).
    for (const id of ids) expect(Math.abs((counts.get(id) ?? 0) - 120)).toBeLessThan(5 * 9.2);
    // The sample size is random, not fixed.
    expect(sizes.size).toBeGreaterThan(5);
  });

  it('q = 1 takes everyone; q outside (0, 1] is refused', () => {
    expect(poissonCheckIn(ids, 1, new Prng(1))).toEqual(ids);
    expect(() => poissonCheckIn(ids, 0, new Prng(1))).toThrow();
    expect(() => poissonCheckIn(ids, 1.5, new Prng(1))).toThrow();
  });
});

describe('fixed-size uniform sample (no DP)', () => {
  it('draws min(count, n) distinct candidates, each equally often', () => {
    const random = new Prng(5);
    const hits = new Map<string, number>();
    for (let r = 0; r < 500; r++) {
      const s = uniformSample(ids, 10, random);
      expect(new Set(s).size).toBe(10);
      for (const id of s) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    // Binomial(500, 0.2): mean 100, sd 8.9.
    for (const id of ids) expect(Math.abs((hits.get(id) ?? 0) - 100)).toBeLessThan(5 * 8.9);
    expect(uniformSample(ids.slice(0, 3), 10, random).sort()).toEqual(ids.slice(0, 3).sort());
  });
});

describe('adaptive clipping under DP: the clip-bit noise must fit the stated epsilon', () => {
  const dp = (bitNoiseStd: number) => {
    const base = defaultTaskConfig('injury');
    return { ...base, privacy: { ...base.privacy, noise: 'central' as const, noiseMultiplier: 1, adaptiveClipping: { targetQuantile: 0.5, learningRate: 0.2, bitNoiseStd } } };
  };

  it('refuses bitNoiseStd 0 and anything up to z / 2, naming the field', () => {
    for (const bad of [0, 0.25, 0.5]) {
      const r = taskConfigSchema.safeParse(dp(bad));
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('privacy.adaptiveClipping.bitNoiseStd');
    }
  });

  it('accepts bitNoiseStd above z / 2, and any value without DP', () => {
    expect(taskConfigSchema.safeParse(dp(0.51)).success).toBe(true);
    const plain = dp(0);
    expect(taskConfigSchema.safeParse({ ...plain, privacy: { ...plain.privacy, noise: 'none', noiseMultiplier: 0 } }).success).toBe(true);
  });
});
