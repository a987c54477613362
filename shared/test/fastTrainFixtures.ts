import { Prng } from '../src/random/prng.ts';
import type { LocalTrainResult, TrainingData } from '../src/model/trainTf.ts';
import type { ModelSpec, TaskId } from '../src/model/spec.ts';

/** Synthetic rows with a learnable signal: binary labels for injury, a score around 5 for readiness. */
export function syntheticData(task: TaskId, n: number, features: number, seed: number, scale = 1): TrainingData {
  const rng = new Prng(seed);
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < features; k++) {
      const v = rng.normal() * scale;
      x[i * features + k] = v;
      s += v * ((k % 3) - 1) * 0.5;
    }
    y[i] = task === 'injury' ? (rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0) : 5 + s + rng.normal() * 0.3;
  }
  return { x, y, n };
}

export const benchNet: ModelSpec = {
  task: 'injury',
  inputSize: 24,
  layers: [
    { units: 64, activation: 'relu' },
    { units: 32, activation: 'relu' },
    { units: 1, activation: 'sigmoid' },
  ],
  loss: 'binaryCrossentropy',
  labelScale: 1,
};

/** Widths that hit every kernel block size and remainder, plus a sigmoid hidden layer. */
export const oddNet: ModelSpec = {
  task: 'readiness',
  inputSize: 7,
  layers: [
    { units: 20, activation: 'relu' },
    { units: 7, activation: 'sigmoid' },
    { units: 5, activation: 'relu' },
    { units: 1, activation: 'linear' },
  ],
  loss: 'meanSquaredError',
  labelScale: 3,
};

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);
}

export function sameResult(a: LocalTrainResult, b: LocalTrainResult): boolean {
  return a.steps === b.steps && Object.is(a.loss, b.loss) && a.weights.length === b.weights.length && a.weights.every((v, i) => Object.is(v, b.weights[i]));
}
