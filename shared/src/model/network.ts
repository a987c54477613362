/**
 * The dense network's maths, in one place: forward (predict), backward (SGD training, input gradients) run
 * through the same kernels (`FastWorkspace`: WebAssembly SIMD where the runtime has it, else plain JS) in the
 * simulator, the Node client, the browser worker, the coordinator and the explanations. tfjs (`trainTf`,
 * `predictBatch`) is kept only as the reference the equality tests compare against, and as a fallback trainer.
 */
import { sharedWorkspace, type FastWorkspace, type KernelChoice } from './fastTrain.ts';
import { ACT_LINEAR } from './fastNet.ts';
import type { ModelSpec } from './spec.ts';

export { trainFast, FastWorkspace, type KernelChoice } from './fastTrain.ts';
export { trainMany, type TrainJob } from './trainMany.ts';

/** Rows per kernel call when predicting or differentiating many rows. */
const CHUNK = 256;

function checkWeights(ws: FastWorkspace, weights: ArrayLike<number>): void {
  if (weights.length !== ws.shape.paramCount) throw new RangeError(`the ${ws.spec.task} model needs ${ws.shape.paramCount} weights, got ${weights.length}`);
}

function checkRows(spec: ModelSpec, x: ArrayLike<number>, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`row count must be a non-negative integer, got ${n}`);
  if (x.length < n * spec.inputSize) throw new RangeError(`need ${n * spec.inputSize} input values, got ${x.length}`);
}

/** Loads `weights` and rows [start, start + size) of `x` into the workspace. */
function load(ws: FastWorkspace, x: ArrayLike<number>, start: number, size: number): void {
  const f = ws.shape.inputSize;
  const { m, layout } = ws;
  for (let i = 0, src = start * f, end = size * f; i < end; i++) m[layout.x + i] = x[src + i]!;
}

/** The network's outputs for n row-major input rows, in label units (labelScale applied). */
export function predictNetwork(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>, n: number, kernels: KernelChoice = 'auto'): Float32Array {
  checkRows(spec, x, n);
  const out = new Float32Array(n);
  if (n === 0) return out;
  const ws = sharedWorkspace(spec, Math.min(CHUNK, n), kernels);
  checkWeights(ws, weights);
  const { m, layout, shape } = ws;
  const units = shape.units[shape.units.length - 1]!;
  const top = layout.acts[shape.units.length - 1]!;
  m.set(weights, layout.weights);
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    load(ws, x, start, size);
    ws.forward(size);
    for (let r = 0; r < size; r++) out[start + r] = m[top + r * units]! * spec.labelScale;
  }
  return out;
}

export interface InputGradients {
  /** F(x_r) for each row, label units. */
  outputs: Float32Array;
  /** dF/dx for each row, [n, inputSize] row-major, label units per input unit. */
  gradients: Float32Array;
}

/**
 * Outputs and their gradients with respect to the inputs, by backpropagation through the same kernels
 * that train the network. Needs a single output unit. relu'(0) is 0, as in tfjs.
 */
export function networkInputGradients(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>, n: number, kernels: KernelChoice = 'auto'): InputGradients {
  checkRows(spec, x, n);
  const last = spec.layers.length - 1;
  if (spec.layers[last]?.units !== 1) throw new RangeError('input gradients need a network with one output unit');
  const f = spec.inputSize;
  const outputs = new Float32Array(n);
  const gradients = new Float32Array(n * f);
  if (n === 0) return { outputs, gradients };
  const ws = sharedWorkspace(spec, Math.min(CHUNK, n), kernels);
  checkWeights(ws, weights);
  const { m, layout, shape } = ws;
  const k = ws.kernels;
  const w = layout.weights;
  m.set(weights, w);
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    load(ws, x, start, size);
    ws.forward(size);
    const top = layout.acts[last]!;
    const delta = layout.deltas[last]!;
    for (let r = 0; r < size; r++) {
      outputs[start + r] = m[top + r]! * spec.labelScale;
      m[delta + r] = spec.labelScale;
    }
    k.activationGrad(delta, top, size, shape.act[last]!);
    for (let l = last; l >= 0; l--) {
      const input = l === 0 ? layout.x : layout.acts[l - 1]!;
      const target = l === 0 ? layout.inputGrad : layout.deltas[l - 1]!;
      k.backInput(layout.deltas[l]!, w + shape.kernelOffset[l]!, input, target, size, shape.fanIn[l]!, shape.units[l]!, l === 0 ? ACT_LINEAR : shape.act[l - 1]!);
    }
    gradients.set(m.subarray(layout.inputGrad, layout.inputGrad + size * f), start * f);
  }
  return { outputs, gradients };
}
