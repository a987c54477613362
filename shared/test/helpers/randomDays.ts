import { FEATURE_COUNT } from '../../src/features/index.ts';
import type { TrainingData } from '../../src/model/index.ts';
import { Prng } from '../../src/random/index.ts';

/**
 * n random day vectors (every feature uniform on [-1, 1]); `day` then sets the features a test is about, in place
 * in `x` at offset `at`, and returns the day's label.
 */
export function randomDays(n: number, seed: number, day: (rng: Prng, x: Float32Array, at: number) => number): TrainingData {
  const rng = new Prng(seed);
  const x = new Float32Array(n * FEATURE_COUNT);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const at = r * FEATURE_COUNT;
    for (let j = 0; j < FEATURE_COUNT; j++) x[at + j] = rng.uniform(-1, 1);
    y[r] = day(rng, x, at);
  }
  return { x, y, n };
}
