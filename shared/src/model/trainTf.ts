import * as tf from '@tensorflow/tfjs';
import { Prng } from '../random/prng.ts';
import { BCE_EPSILON } from './fastLoss.ts';
import { buildTfModel, getFlatWeights, setFlatWeights } from './tfModel.ts';
import type { ModelSpec } from './spec.ts';

/** Rows of one athlete's (or a pooled) training set. `y` is in label units. */
export interface TrainingData {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

export interface LocalTrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seeds the per-epoch shuffle. */
  seed: number;
  /** FedProx proximal term weight (0 = plain FedAvg local SGD). */
  proximalMu: number;
}

export interface LocalTrainResult {
  weights: Float32Array;
  /** Mean training loss over the last epoch's batches (before each step). */
  loss: number;
  steps: number;
}

export { BCE_EPSILON };

/** Per-epoch shuffles shared by every trainer so results do not depend on the kernel. */
export function epochOrder(n: number, seed: number, epoch: number): Uint32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  new Prng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0).shuffle(order);
  return Uint32Array.from(order);
}

export function batchLoss(spec: ModelSpec, pred: tf.Tensor, target: tf.Tensor): tf.Scalar {
  switch (spec.loss) {
    case 'binaryCrossentropy': {
      const p = pred.clipByValue(BCE_EPSILON, 1 - BCE_EPSILON);
      return tf.neg(tf.mean(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))))) as tf.Scalar;
    }
    case 'meanSquaredError':
      return tf.mean(tf.square(tf.sub(pred, target))) as tf.Scalar;
  }
}

/** Mini-batch SGD from `init` with tfjs, on whatever backend is active. */
export async function trainTf(spec: ModelSpec, init: Float32Array, data: TrainingData, config: LocalTrainConfig): Promise<LocalTrainResult> {
  const model = buildTfModel(spec);
  setFlatWeights(model, spec, init);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const anchors = config.proximalMu > 0 ? vars.map((v) => tf.clone(v)) : [];
  const optimizer = tf.train.sgd(config.learningRate);
  const f = spec.inputSize;
  let lossSum = 0;
  let lossCount = 0;
  let steps = 0;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const order = epochOrder(data.n, config.seed, epoch);
    lossSum = 0;
    lossCount = 0;
    for (let start = 0; start < data.n; start += config.batchSize) {
      const size = Math.min(config.batchSize, data.n - start);
      const bx = new Float32Array(size * f);
      const by = new Float32Array(size);
      for (let r = 0; r < size; r++) {
        const row = order[start + r]!;
        bx.set(data.x.subarray(row * f, row * f + f), r * f);
        by[r] = data.y[row]! / spec.labelScale;
      }
      const loss: tf.Scalar = tf.tidy(() => {
        const xs = tf.tensor2d(bx, [size, f]);
        const ys = tf.tensor2d(by, [size, 1]);
        return optimizer.minimize(() => {
          const base = batchLoss(spec, model.apply(xs) as tf.Tensor, ys);
          if (anchors.length === 0) return base;
          const prox = tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, anchors[i]!)))));
          return tf.add(base, tf.mul(config.proximalMu / 2, prox)) as tf.Scalar;
        }, true, vars) as tf.Scalar;
      });
      lossSum += (await loss.data())[0]! * size;
      lossCount += size;
      loss.dispose();
      steps++;
    }
  }
  const weights = getFlatWeights(model);
  anchors.forEach((a) => a.dispose());
  optimizer.dispose();
  model.dispose();
  return { weights, loss: lossCount > 0 ? lossSum / lossCount : Number.NaN, steps };
}
