import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { additiveLayout, modelSpec, parameterCount } from '@huddle/shared/modelCore';
import { defaultModelSettings, defaultTaskConfig, DEFAULT_MODEL_SETTINGS } from '@huddle/shared/protocol';
import { taskModelRuntime } from '../src/engine/taskModel.ts';

describe("the engine's view of a task's model", () => {
  const spec = modelSpec('readiness', FEATURE_COUNT);
  const config = defaultTaskConfig('readiness');
  const { size } = additiveLayout();

  it('holds the mean correction by default for readiness: parameters and contribution gain its rows', () => {
    const model = taskModelRuntime(config, spec);
    expect(parameterCount(model.manifest)).toBe(4 * size);
    expect(parameterCount(model.contribution)).toBe(5 * size);
    expect(model.contribution.at(-1)!.name).toBe('additive/mean-gradients');
    expect(model.init(1).length).toBe(4 * size);
    const injury = taskModelRuntime(defaultTaskConfig('injury'), modelSpec('injury', FEATURE_COUNT));
    expect(parameterCount(injury.manifest)).toBe(2 * size);
  });

  it('resumes a checkpoint saved before the mean forecast with the correction at 0', () => {
    const model = taskModelRuntime(config, spec);
    const saved = Float32Array.from({ length: 2 * size }, (_, i) => (i % 7) / 10);
    const resumed = model.resume(saved);
    expect(resumed.length).toBe(4 * size);
    expect(Array.from(resumed.subarray(0, 2 * size))).toEqual(Array.from(saved));
    expect(resumed.subarray(2 * size).every((v) => v === 0)).toBe(true);
  });

  it('accepts new settings of the same layout, and refuses a change of kind or of meanForecast with a clear reason', () => {
    const model = taskModelRuntime(config, spec);
    const faster = model.withSettings({ ...config, model: { ...DEFAULT_MODEL_SETTINGS.readiness, learningRate: 0.2 } });
    expect(faster.settings.learningRate).toBe(0.2);
    expect(() => model.withSettings({ ...config, model: { ...DEFAULT_MODEL_SETTINGS.readiness, meanForecast: false } })).toThrow(/mean forecast; that cannot change once created/);
    expect(() => model.withSettings({ ...config, model: { ...DEFAULT_MODEL_SETTINGS.readiness, kind: 'network', loss: 'squared' } })).toThrow(/cannot become a network/);
  });

  it("keeps a trees task's shape: another tree count or depth, or a checkpoint of another shape, is refused", () => {
    const trees = { ...config, model: defaultModelSettings('readiness', 'trees') };
    const model = taskModelRuntime(trees, spec);
    expect(model.contribution.length).toBeGreaterThan(0);
    const params = model.init(1);
    expect(model.resume(params)).toBe(params);
    expect(() => model.resume(params.subarray(0, params.length - 1))).toThrow(/the tree model has \d+ parameters, got/);
    expect(model.withSettings({ ...trees, model: { ...trees.model, learningRate: 0.2 } }).settings.learningRate).toBe(0.2);
    expect(() => model.withSettings({ ...trees, model: { ...trees.model, treeCount: 32 } })).toThrow(/has 64 trees of depth 3, 1 round\(s\) a level; that cannot change once created/);
    expect(() => model.withSettings({ ...trees, model: { ...trees.model, treeLevelRounds: 2 } })).toThrow(/cannot change once created/);
    expect(() => model.withSettings({ ...trees, model: { ...trees.model, treeDepth: 2 } })).toThrow(/cannot change once created/);
  });
});
