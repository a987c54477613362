import { buildTfModel, predictBatch, setFlatWeights, type ModelSpec } from '@huddle/shared/model';

/** Runs the tfjs network with the given weights on n feature rows; outputs in label units. */
export function predictWith(spec: ModelSpec, weights: Float32Array, x: Float32Array, n: number): Float32Array {
  if (n === 0) return new Float32Array(0);
  const model = buildTfModel(spec);
  try {
    setFlatWeights(model, spec, weights);
    return predictBatch(model, spec, x, n);
  } finally {
    model.dispose();
  }
}
