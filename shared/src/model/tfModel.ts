import * as tf from '@tensorflow/tfjs';
import { concatWeights, splitWeights, WeightsCodecError } from './codec.ts';
import { weightManifest, type ModelSpec } from './spec.ts';

/** The tfjs network for a spec. Weight order of `model.getWeights()` equals the flat layout. */
export function buildTfModel(spec: ModelSpec): tf.Sequential {
  const model = tf.sequential();
  spec.layers.forEach((layer, i) => {
    model.add(
      tf.layers.dense({
        units: layer.units,
        activation: layer.activation,
        name: `dense_${i}`,
        ...(i === 0 ? { inputShape: [spec.inputSize] } : {}),
      }),
    );
  });
  return model;
}

export function getFlatWeights(model: tf.LayersModel): Float32Array {
  return concatWeights(model.getWeights().map((w) => w.dataSync() as Float32Array));
}

export function setFlatWeights(model: tf.LayersModel, spec: ModelSpec, flat: Float32Array): void {
  const manifest = weightManifest(spec);
  const parts = splitWeights(flat, manifest);
  const current = model.getWeights();
  if (current.length !== parts.length) throw new WeightsCodecError('model does not match the weight manifest');
  const tensors = parts.map((p, i) => tf.tensor(p, manifest[i]!.shape));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/** Runs the network on n rows; returns outputs in label units (labelScale applied). */
export function predictBatch(model: tf.LayersModel, spec: ModelSpec, x: Float32Array, n: number): Float32Array {
  if (n === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const out = model.predict(tf.tensor2d(x, [n, spec.inputSize])) as tf.Tensor;
    const values = out.dataSync() as Float32Array;
    return spec.labelScale === 1 ? Float32Array.from(values) : values.map((v) => v * spec.labelScale);
  });
}
