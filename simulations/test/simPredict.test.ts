import { describe, expect, it } from 'vitest';
import { predictWith } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { initialWeights, modelSpec } from '@huddle/shared/model';
import { Prng } from '@huddle/shared/random';
import { predict } from '../src/sim/predict.ts';

describe('simulator forward pass', () => {
  it('matches the tfjs model the client SDK predicts with', async () => {
    await initNodeBackend();
    const rng = new Prng(4);
    const n = 50;
    const x = Float32Array.from({ length: n * FEATURE_COUNT }, () => rng.uniform(-3, 3));
    for (const task of ['injury', 'readiness'] as const) {
      const spec = modelSpec(task, FEATURE_COUNT);
      const w = initialWeights(spec, 9).map((v, i) => v + (i % 7 === 0 ? 0.05 : 0));
      const ours = predict(spec, w, x, n);
      const tfjs = predictWith(spec, w, x, n);
      for (let i = 0; i < n; i++) expect(ours[i]).toBeCloseTo(tfjs[i]!, 4);
    }
  });
});
