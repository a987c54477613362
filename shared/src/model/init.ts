import { Prng } from '../random/prng.ts';
import { parameterCount, weightManifest, type ModelSpec } from './spec.ts';

/** Glorot-uniform kernels and zero biases, deterministic for a seed: the round-0 global model. */
export function initialWeights(spec: ModelSpec, seed: number): Float32Array {
  const manifest = weightManifest(spec);
  const out = new Float32Array(parameterCount(manifest));
  const rng = new Prng(seed);
  let offset = 0;
  for (const entry of manifest) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.shape.length === 2) {
      const limit = Math.sqrt(6 / (entry.shape[0]! + entry.shape[1]!));
      for (let i = 0; i < size; i++) out[offset + i] = rng.uniform(-limit, limit);
    }
    offset += size;
  }
  return out;
}
