import { jsKernels, type FastKernels } from './fastKernelsJs.ts';
import { wasmKernels } from './fastKernelsWasm.ts';
import { bceLossGrad, mseLossGrad } from './fastLoss.ts';
import { netShape, workspaceLayout, type NetShape, type WorkspaceLayout } from './fastNet.ts';
import { Prng } from '../random/prng.ts';
import type { LocalTrainConfig, LocalTrainResult, TrainingData } from './trainTf.ts';
import type { ModelSpec } from './spec.ts';

/** 'auto' uses the WebAssembly SIMD kernels where the runtime supports them, else plain JS. */
export type KernelChoice = 'auto' | 'wasm' | 'js';

/** `epochOrder(n, seed, epoch)` written into `out` without the intermediate array (a test pins the equality). */
export function epochOrderInto(out: Uint32Array, n: number, seed: number, epoch: number): Uint32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  const rng = new Prng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

export function checkTrainingInputs(spec: ModelSpec, paramCount: number, init: Float32Array, data: TrainingData, config: LocalTrainConfig): void {
  if (init.length !== paramCount) throw new RangeError(`expected ${paramCount} initial weights, got ${init.length}`);
  if (!Number.isInteger(data.n) || data.n < 0 || data.x.length < data.n * spec.inputSize || data.y.length < data.n) {
    throw new RangeError(`training data does not hold ${data.n} rows of ${spec.inputSize} features`);
  }
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${config.batchSize}`);
  if (!Number.isInteger(config.epochs) || config.epochs < 0) throw new RangeError(`epochs must be a non-negative integer, got ${config.epochs}`);
}

/** Preallocated buffers and kernels that train one client at a time for a fixed spec and maximum batch size. */
export class FastWorkspace {
  readonly shape: NetShape;
  readonly layout: WorkspaceLayout;
  readonly m: Float32Array;
  readonly kernels: FastKernels;
  readonly kernelKind: 'wasm' | 'js';
  private order = new Uint32Array(0);

  constructor(
    readonly spec: ModelSpec,
    readonly batchSize: number,
    choice: KernelChoice = 'auto',
  ) {
    this.shape = netShape(spec);
    this.layout = workspaceLayout(this.shape, batchSize);
    const wasm = choice === 'js' ? null : wasmKernels(this.layout.floats);
    if (!wasm && choice === 'wasm') throw new Error('WebAssembly SIMD kernels are not available in this runtime');
    this.kernelKind = wasm ? 'wasm' : 'js';
    this.m = wasm ? wasm.m : new Float32Array(this.layout.floats);
    this.kernels = wasm ? wasm.kernels : jsKernels(this.m);
  }

  /** Mini-batch SGD from `init`: the same batches, order and math as `trainTf`. */
  train(init: Float32Array, data: TrainingData, config: LocalTrainConfig): LocalTrainResult {
    const { m, layout, shape } = this;
    checkTrainingInputs(this.spec, shape.paramCount, init, data, config);
    const batch = config.batchSize;
    if (Math.min(batch, data.n) > this.batchSize) throw new RangeError(`batch size ${batch} exceeds the workspace's ${this.batchSize}`);
    if (this.order.length < data.n) this.order = new Uint32Array(data.n);
    m.set(init, layout.weights);
    if (config.proximalMu > 0) m.set(init, layout.anchor);
    let lossSum = 0;
    let lossCount = 0;
    let steps = 0;
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = epochOrderInto(this.order, data.n, config.seed, epoch);
      lossSum = 0;
      lossCount = 0;
      for (let start = 0; start < data.n; start += batch) {
        const size = Math.min(batch, data.n - start);
        this.gather(data, order, start, size);
        lossSum += this.step(size, config.learningRate, config.proximalMu) * size;
        lossCount += size;
        steps++;
      }
    }
    return {
      weights: m.slice(layout.weights, layout.weights + shape.paramCount),
      loss: lossCount > 0 ? lossSum / lossCount : Number.NaN,
      steps,
    };
  }

  /** Copies rows `order[start..start+size)` into the batch buffers, labels divided by labelScale. */
  gather(data: TrainingData, order: Uint32Array, start: number, size: number): void {
    const { m, layout } = this;
    const f = this.shape.inputSize;
    const scale = this.spec.labelScale;
    const x = data.x;
    for (let r = 0; r < size; r++) {
      const row = order[start + r]!;
      for (let k = 0, src = row * f, dst = layout.x + r * f; k < f; k++) m[dst + k] = x[src + k]!;
      m[layout.y + r] = data.y[row]! / scale;
    }
  }

  /** Forward pass of the `size` rows at `layout.x` with the weights at `layout.weights`; outputs in `layout.acts`. */
  forward(size: number): void {
    const { layout, shape, kernels } = this;
    const w = layout.weights;
    for (let l = 0; l < shape.units.length; l++) {
      const input = l === 0 ? layout.x : layout.acts[l - 1]!;
      kernels.forward(input, w + shape.kernelOffset[l]!, w + shape.biasOffset[l]!, layout.acts[l]!, size, shape.fanIn[l]!, shape.units[l]!, shape.act[l]!);
    }
  }

  /** One SGD step on the gathered batch; returns the batch loss (with the proximal term) before the step. */
  step(size: number, learningRate: number, mu: number): number {
    const { m, layout, shape, kernels } = this;
    const last = shape.units.length - 1;
    this.forward(size);
    const lossGrad = this.spec.loss === 'binaryCrossentropy' ? bceLossGrad : mseLossGrad;
    const base = lossGrad(m, layout.acts[last]!, layout.y, layout.deltas[last]!, size, shape.units[last]!);
    kernels.activationGrad(layout.deltas[last]!, layout.acts[last]!, size * shape.units[last]!, shape.act[last]!);
    for (let l = last; l >= 0; l--) {
      const g = layout.grads;
      const input = l === 0 ? layout.x : layout.acts[l - 1]!;
      kernels.gradWeights(input, layout.deltas[l]!, g + shape.kernelOffset[l]!, g + shape.biasOffset[l]!, size, shape.fanIn[l]!, shape.units[l]!);
      if (l > 0) {
        kernels.backInput(layout.deltas[l]!, layout.weights + shape.kernelOffset[l]!, input, layout.deltas[l - 1]!, size, shape.fanIn[l]!, shape.units[l]!, shape.act[l - 1]!);
      }
    }
    const prox = kernels.update(layout.weights, layout.grads, layout.anchor, shape.paramCount, learningRate, mu);
    return mu > 0 ? base + (mu / 2) * prox : base;
  }
}

const CACHED_WORKSPACES = 4;
const workspaces = new Map<string, FastWorkspace>();

/**
 * A reusable workspace for `spec` holding batches of at least `batchSize` rows. Reuse keeps the kernel
 * call sites monomorphic and avoids creating a WebAssembly memory per call; training is synchronous,
 * so no two callers can interleave on one workspace.
 */
export function sharedWorkspace(spec: ModelSpec, batchSize: number, kernels: KernelChoice = 'auto'): FastWorkspace {
  const key = `${kernels}|${JSON.stringify(spec)}`;
  let ws = workspaces.get(key);
  if (!ws || ws.batchSize < batchSize) {
    ws = new FastWorkspace(spec, Math.max(ws?.batchSize ?? 0, 2 ** Math.ceil(Math.log2(Math.max(1, batchSize)))), kernels);
  }
  workspaces.delete(key);
  workspaces.set(key, ws);
  if (workspaces.size > CACHED_WORKSPACES) workspaces.delete(workspaces.keys().next().value!);
  return ws;
}

/** Single-client mini-batch SGD with hand-written kernels; same signature and semantics as `trainTf`, but sync. */
export function trainFast(spec: ModelSpec, init: Float32Array, data: TrainingData, config: LocalTrainConfig, kernels: KernelChoice = 'auto'): LocalTrainResult {
  return sharedWorkspace(spec, Math.min(config.batchSize, data.n), kernels).train(init, data, config);
}
