import { describe, expect, it } from 'vitest';
import { describeFeature, FEATURE_COUNT, FEATURE_NAMES, featureIndex, isFeatureName } from '../src/features/index.ts';

describe('feature catalogue', () => {
  it('has 40-64 unique snake_case names', () => {
    expect(FEATURE_COUNT).toBe(FEATURE_NAMES.length);
    expect(FEATURE_COUNT).toBeGreaterThanOrEqual(40);
    expect(FEATURE_COUNT).toBeLessThanOrEqual(64);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    for (const name of FEATURE_NAMES) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('describes every feature in words and refuses unknown names', () => {
    for (const name of FEATURE_NAMES) expect(describeFeature(name).length).toBeGreaterThan(5);
    expect(describeFeature('load_acwr_7_28')).toBe('last 7 days of load vs your 4-week average');
    expect(() => describeFeature('nope')).toThrow(RangeError);
    expect(isFeatureName('nope')).toBe(false);
    expect(featureIndex(FEATURE_NAMES[5]!)).toBe(5);
  });
});
