import { jsKernels, type FastKernels } from './fastKernelsJs.ts';
import { wasmKernels } from './fastKernelsWasm.ts';
import { bceLossGrad, mseLossGrad } from './fastLoss.ts';
import { align4, netShape, workspaceLayout, type NetShape, type WorkspaceLayout } from './fastNet.ts';
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

/** One float array (a WebAssembly memory's, or plain) and the kernels that work on it. */
function backend(kind: 'wasm' | 'js', floats: number): { m: Float32Array; kernels: FastKernels } {
  if (kind === 'wasm') return wasmKernels(floats)!;
  const m = new Float32Array(floats);
  return { m, kernels: jsKernels(m) };
}

/**
 * Preallocated buffers and kernels that train one client at a time for a fixed spec and maximum batch size. Training
 * copies the client's rows into the same memory, after the layout (grown when a client needs more), so batches are
 * gathered inside the kernels' memory: `m` and `kernels` may be replaced by `train`, never during another call.
 */
export class FastWorkspace {
  readonly shape: NetShape;
  readonly layout: WorkspaceLayout;
  m: Float32Array;
  kernels: FastKernels;
  readonly kernelKind: 'wasm' | 'js';
  /** Floats after `layout.floats` that hold a client's rows. */
  private dataFloats = 0;

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
    const b = wasm ?? backend('js', this.layout.floats);
    this.m = b.m;
    this.kernels = b.kernels;
  }

  /** Room for `floats` floats of client data after the layout; a larger memory keeps the workspace's contents. */
  private reserve(floats: number): void {
    if (floats <= this.dataFloats) return;
    const capacity = Math.max(floats, 2 * this.dataFloats);
    const b = backend(this.kernelKind, this.layout.floats + capacity);
    b.m.set(this.m.subarray(0, this.layout.floats));
    this.m = b.m;
    this.kernels = b.kernels;
    this.dataFloats = capacity;
  }

  /** Copies the n rows and labels into the workspace's memory; returns their offsets and a view for the row order. */
  private stage(data: TrainingData): { order: Uint32Array; orderAt: number; xAt: number; yAt: number } {
    const n = data.n;
    const f = this.shape.inputSize;
    const orderAt = this.layout.floats;
    const xAt = align4(orderAt + n);
    const yAt = align4(xAt + n * f);
    this.reserve(yAt + n - orderAt);
    const { m } = this;
    m.set(data.x.subarray(0, n * f), xAt);
    m.set(data.y.subarray(0, n), yAt);
    return { order: new Uint32Array(m.buffer, m.byteOffset + orderAt * 4, n), orderAt, xAt, yAt };
  }

  /** Mini-batch SGD from `init`: the same batches, order and math as `trainTf`. */
  train(init: Float32Array, data: TrainingData, config: LocalTrainConfig): LocalTrainResult {
    const { layout, shape } = this;
    checkTrainingInputs(this.spec, shape.paramCount, init, data, config);
    const batch = config.batchSize;
    if (Math.min(batch, data.n) > this.batchSize) throw new RangeError(`batch size ${batch} exceeds the workspace's ${this.batchSize}`);
    const staged = this.stage(data);
    const { m, kernels } = this;
    m.set(init, layout.weights);
    if (config.proximalMu > 0) m.set(init, layout.anchor);
    const f = shape.inputSize;
    const scale = this.spec.labelScale;
    let lossSum = 0;
    let lossCount = 0;
    let steps = 0;
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      epochOrderInto(staged.order, data.n, config.seed, epoch);
      lossSum = 0;
      lossCount = 0;
      for (let start = 0; start < data.n; start += batch) {
        const size = Math.min(batch, data.n - start);
        kernels.gather(staged.xAt, staged.orderAt + start, staged.yAt, layout.x, layout.y, size, f, scale);
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
