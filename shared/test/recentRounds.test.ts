import { describe, expect, it } from 'vitest';
import { MEDIAN_STEP_ROUNDS, RecentRounds, stepRounds } from '../src/modelCore/index.ts';
import { defaultModelSettings } from '../src/protocol/taskConfig.ts';

describe('recent rounds of the median step', () => {
  it('the readiness default (median step) reads 3 rounds; the injury default (Newton step) only its own', () => {
    expect(stepRounds(defaultModelSettings('readiness', 'additive'))).toBe(MEDIAN_STEP_ROUNDS);
    expect(stepRounds(defaultModelSettings('injury', 'additive'))).toBe(1);
  });

  it('returns the mean of the last 3 aggregates, every round counting equally', () => {
    const recent = new RecentRounds(3);
    expect(Array.from(recent.add(Float32Array.of(1, 0)))).toEqual([1, 0]);
    expect(Array.from(recent.add(Float32Array.of(0, 1)))).toEqual([0.5, 0.5]);
    const third = recent.add(Float32Array.of(0.5, 0.5));
    expect(third[0]).toBeCloseTo(0.5, 6);
    // The first round drops out.
    const fourth = recent.add(Float32Array.of(1, 1));
    expect(fourth[0]).toBeCloseTo(1.5 / 3, 6);
    expect(fourth[1]).toBeCloseTo(2.5 / 3, 6);
  });

  it('one round kept is the round itself', () => {
    const mean = Float32Array.of(3, 4);
    expect(new RecentRounds(1).add(mean)).toBe(mean);
  });
});

describe('recent rounds across a checkpoint', () => {
  it('a restored copy gives the same means as the one that kept going', () => {
    const kept = new RecentRounds(3);
    kept.add(Float32Array.of(1, 0));
    kept.add(Float32Array.of(0, 1));
    const restored = new RecentRounds(3);
    restored.restore(kept.state());
    const next = Float32Array.of(2, 2);
    expect(Array.from(restored.add(next))).toEqual(Array.from(kept.add(next)));
    expect(Array.from(restored.add(Float32Array.of(0, 0)))).toEqual(Array.from(kept.add(Float32Array.of(0, 0))));
  });

  it('keeps only what the next round reads with it', () => {
    const recent = new RecentRounds(3);
    recent.restore([[9, 9], [1, 0], [0, 1]]);
    expect(recent.state()).toEqual([[1, 0], [0, 1]]);
    const single = new RecentRounds(1);
    single.restore([[1, 2]]);
    expect(single.state()).toEqual([]);
  });
});
