import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { networkInputGradients, predictNetwork, wasmKernelsAvailable } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { modelSpec, type ModelSpec } from '../src/model/spec.ts';
import { buildTfModel, predictBatch, setFlatWeights } from '../src/model/tfModel.ts';
import { Prng } from '../src/random/prng.ts';
import { benchNet, oddNet } from './fastTrainFixtures.ts';

/** Both sides are float32; sums of ~30-60 products differ by a few ulps of values of order 1-10. */
const OUTPUT_TOL = 1e-5;
const GRADIENT_TOL = 1e-5;
const KERNELS = ['js', 'wasm'] as const;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Non-zero biases so relu units switch on and off across the rows. */
function weightsFor(spec: ModelSpec, seed: number): Float32Array {
  const w = initialWeights(spec, seed);
  const rng = new Prng(seed + 1);
  for (let i = 0; i < w.length; i++) w[i] = w[i]! + rng.uniform(-0.2, 0.2);
  return w;
}

function rowsFor(spec: ModelSpec, n: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  return Float32Array.from({ length: n * spec.inputSize }, () => rng.uniform(-2, 2));
}

/** The tfjs reference: dF/dx of the tfjs model (label units), row by row through tf.grad. */
function tfjsInputGradients(spec: ModelSpec, weights: Float32Array, x: Float32Array, n: number): Float32Array {
  const model = buildTfModel(spec);
  setFlatWeights(model, spec, weights);
  const grad = tf.grad((input: tf.Tensor) => tf.mul(tf.sum(model.apply(input) as tf.Tensor), spec.labelScale));
  const out = tf.tidy(() => grad(tf.tensor2d(x, [n, spec.inputSize])).dataSync() as Float32Array);
  model.dispose();
  return Float32Array.from(out);
}

const specs: [string, ModelSpec][] = [
  ['injury (default network)', modelSpec('injury', 30)],
  ['readiness (default network, labelScale 10)', modelSpec('readiness', 30)],
  ['24-64-32-1', benchNet],
  ['odd widths + sigmoid hidden', oddNet],
];

describe('predictNetwork equals the tfjs reference', () => {
  it.each(specs)('%s', (_name, spec) => {
    const weights = weightsFor(spec, 5);
    // 300 rows: more than one 256-row chunk.
    const n = 300;
    const x = rowsFor(spec, n, 9);
    const model = buildTfModel(spec);
    setFlatWeights(model, spec, weights);
    const reference = predictBatch(model, spec, x, n);
    model.dispose();
    for (const kernels of KERNELS) {
      if (kernels === 'wasm' && !wasmKernelsAvailable()) continue;
      const ours = predictNetwork(spec, weights, x, n, kernels);
      let worst = 0;
      for (let r = 0; r < n; r++) worst = Math.max(worst, Math.abs(ours[r]! - reference[r]!) / Math.max(1, Math.abs(reference[r]!)));
      expect(worst, kernels).toBeLessThan(OUTPUT_TOL);
    }
  });
});

describe('networkInputGradients equals tfjs tf.grad', () => {
  it.each(specs.filter(([, s]) => s.layers[s.layers.length - 1]!.units === 1))('%s', (_name, spec) => {
    const weights = weightsFor(spec, 6);
    const n = 40;
    const x = rowsFor(spec, n, 10);
    const reference = tfjsInputGradients(spec, weights, x, n);
    const scale = reference.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
    expect(scale).toBeGreaterThan(1e-3);
    for (const kernels of KERNELS) {
      if (kernels === 'wasm' && !wasmKernelsAvailable()) continue;
      const { outputs, gradients } = networkInputGradients(spec, weights, x, n, kernels);
      const predicted = predictNetwork(spec, weights, x, n, kernels);
      for (let r = 0; r < n; r++) expect(outputs[r]).toBe(predicted[r]);
      let worst = 0;
      for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(gradients[i]! - reference[i]!));
      expect(worst / scale, kernels).toBeLessThan(GRADIENT_TOL);
    }
  });

  it('refuses a wrong weight count and short input', () => {
    const spec = modelSpec('injury', 4);
    expect(() => predictNetwork(spec, new Float32Array(3), new Float32Array(4), 1)).toThrow(RangeError);
    expect(() => networkInputGradients(spec, initialWeights(spec, 1), new Float32Array(3), 1)).toThrow(RangeError);
  });
});
