import { describe, expect, it } from 'vitest';
import { legacyModelSettings } from '@huddle/shared/model';
import { defaultModelSettings, defaultTaskConfig } from '@huddle/shared/protocol';
// @ts-expect-error the console's assets are plain checked JavaScript without declaration files
import { modelSummary } from '../src/console/assets/modelSummary.js';

describe("the console's model line", () => {
  it('says what each model class trains, and that it is fixed once the task exists', () => {
    const trees = modelSummary({ ...defaultTaskConfig('injury'), model: { ...defaultModelSettings('injury', 'trees'), treeLevelRounds: 3 } });
    expect(trees).toBe('Model: boosted trees: 64 of depth 3, 3 rounds a level; logistic loss, level target, monotone where physiology is known; learning rate 0.1, L2 0.01. The model class and its layout are fixed once the task exists.');
    expect(modelSummary({ ...defaultTaskConfig('injury'), model: legacyModelSettings('injury') })).toMatch(/^Model: dense network; logistic loss, level target;/);
    expect(modelSummary({ ...defaultTaskConfig('injury'), model: undefined })).toBe('Model: the dense network (a task created before the choice of model).');
  });
});
