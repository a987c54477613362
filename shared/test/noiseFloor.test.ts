import { describe, expect, it } from 'vitest';
import {
  additiveContribution, additiveLayout, applyAdditiveAggregate, applyTreeAggregate, initialAdditive, initialTrees, NOISE_FLOOR_SDS,
  treeContribution, type ModelSettings,
} from '../src/model/index.ts';
import { RESIDUAL_BUCKETS } from '../src/model/additive/residualBuckets.ts';
import { DEFAULT_MODEL_SETTINGS, defaultModelSettings } from '../src/protocol/index.ts';
import { randomDays } from './helpers/randomDays.ts';

const READINESS: ModelSettings = { ...DEFAULT_MODEL_SETTINGS.readiness, averaging: 0 };
const data = randomDays(400, 41, (rng, x, at) => 6 + 2 * x[at]! + rng.uniform(-1, 1));

describe('histogram models under DP noise: slots whose mass the noise could have made do not step', () => {
  it('additive: without noise nothing changes; a floor between the bins and the intercept leaves every shape function as it was', () => {
    const params = initialAdditive(READINESS);
    const { vector } = additiveContribution('readiness', READINESS, params, data);
    expect(Array.from(applyAdditiveAggregate('readiness', READINESS, params, vector, 0))).toEqual(Array.from(applyAdditiveAggregate('readiness', READINESS, params, vector)));
    const open = applyAdditiveAggregate('readiness', READINESS, params, vector);
    // The floor at half the intercept's mass (1, every day): above most bins' share of days here, below the intercept's.
    const noiseStd = 0.5 / (NOISE_FLOOR_SDS * Math.sqrt(RESIDUAL_BUCKETS));
    const floored = applyAdditiveAggregate('readiness', READINESS, params, vector, noiseStd);
    const layout = additiveLayout();
    const mass = (s: number) => Array.from({ length: RESIDUAL_BUCKETS }, (_, k) => Math.max(0, vector[k * layout.size + s]!)).reduce((a, b) => a + b, 0);
    let quiet = 0;
    let openMoved = 0;
    for (let j = 0; j < layout.features; j++) {
      if (layout.absorbed[j]) continue;
      const slots = Array.from({ length: layout.bins[j]! }, (_, b) => layout.offset[j]! + b);
      if (slots.some((s) => open[s] !== params[s])) openMoved++;
      if (slots.some((s) => mass(s) > 0.5)) continue;
      quiet++;
      for (const s of slots) expect(floored[s]).toBe(params[s]);
    }
    expect(quiet).toBeGreaterThan(10);
    expect(openMoved).toBeGreaterThan(10);
    expect(floored[0]).not.toBe(params[0]);
    // A floor above the intercept's mass too: no step at all.
    expect(Array.from(applyAdditiveAggregate('readiness', READINESS, params, vector, 2 * noiseStd + 1))).toEqual(Array.from(params));
  });

  it('additive, logistic loss: not floored (its mass p(1 - p) would sink under any floor as the model fits)', () => {
    const injury = DEFAULT_MODEL_SETTINGS.injury;
    const params = initialAdditive(injury);
    const { vector } = additiveContribution('injury', injury, params, randomDays(400, 42, (rng) => (rng.uniform(0, 1) < 0.1 ? 1 : 0)));
    expect(Array.from(applyAdditiveAggregate('injury', injury, params, vector, 1))).toEqual(Array.from(applyAdditiveAggregate('injury', injury, params, vector)));
  });

  it('trees: a level whose total mass is within the floor is not built; without noise the same as before', () => {
    const trees = defaultModelSettings('readiness', 'trees');
    const params = initialTrees(trees);
    const { vector } = treeContribution('readiness', trees, params, data);
    expect(Array.from(applyTreeAggregate('readiness', trees, params, vector, 0))).toEqual(Array.from(applyTreeAggregate('readiness', trees, params, vector)));
    expect(Array.from(applyTreeAggregate('readiness', trees, params, vector, 1))).toEqual(Array.from(params));
    // A floor only the children feel: the root is not split, the base score still takes its step.
    const noSplit = applyTreeAggregate('readiness', trees, params, vector, 0.6 / (NOISE_FLOOR_SDS * Math.sqrt(Math.max(...additiveLayout().bins))));
    expect(noSplit[0]).not.toBe(0);
    expect(noSplit[2]).toBe(0); // the first tree's root: split feature + 1, 0 = no split
    expect(applyTreeAggregate('readiness', trees, params, vector)[2]).toBeGreaterThan(0);
  });
});
