import { jsKernels, type FastKernels } from './fastKernelsJs.ts';
import { wasmKernels } from './fastKernelsWasm.ts';
import { netShape, workspaceLayout, type NetShape, type WorkspaceLayout } from './fastNet.ts';
import { BCE_EPSILON, epochOrder, type LocalTrainConfig, type LocalTrainResult, type TrainingData } from './trainTf.ts';
import type { ModelSpec } from './spec.ts';

const P_MIN = Math.fround(BCE_EPSILON);
const P_MAX = Math.fround(1 - BCE_EPSILON);

/** 'auto' uses the WebAssembly SIMD kernels where the runtime supports them, else plain JS. */
export type KernelChoice = 'auto' | 'wasm' | 'js';

/** Preallocated buffers and kernels for training one client at a time with a fixed spec and batch size. */
export class FastWorkspace {
  readonly shape: NetShape;
  readonly layout: WorkspaceLayout;
  readonly m: Float32Array;
  readonly kernels: FastKernels;
  readonly kernelKind: 'wasm' | 'js';

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

  /** Mini-batch SGD from `init`; the same batches, order and math as `trainTf`. */
  train(init: Float32Array, data: TrainingData, config: LocalTrainConfig): LocalTrainResult {
    const { m, layout, shape } = this;
    const P = shape.paramCount;
    if (init.length !== P) throw new Error(`expected ${P} initial weights, got ${init.length}`);
    if (Math.min(config.batchSize, data.n) > this.batchSize) throw new Error(`batch size ${config.batchSize} exceeds the workspace's ${this.batchSize}`);
    m.set(init, layout.weights);
    if (config.proximalMu > 0) m.set(init, layout.anchor);
    let lossSum = 0;
    let lossCount = 0;
    let steps = 0;
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = epochOrder(data.n, config.seed, epoch);
      lossSum = 0;
      lossCount = 0;
      for (let start = 0; start < data.n; start += config.batchSize) {
        const size = Math.min(config.batchSize, data.n - start);
        this.gather(data, order, start, size);
        lossSum += this.step(size, config.learningRate, config.proximalMu) * size;
        lossCount += size;
        steps++;
      }
    }
    return {
      weights: m.slice(layout.weights, layout.weights + P),
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

  /** One SGD step on the gathered batch; returns the batch loss before the step. */
  step(size: number, learningRate: number, mu: number): number {
    const { m, layout, shape, kernels } = this;
    const L = shape.units.length;
    for (let l = 0; l < L; l++) {
      const input = l === 0 ? layout.x : layout.acts[l - 1]!;
      kernels.forward(input, layout.weights + shape.kernelOffset[l]!, layout.weights + shape.biasOffset[l]!, layout.acts[l]!, size, shape.fanIn[l]!, shape.units[l]!, shape.act[l]!);
    }
    const outUnits = shape.units[L - 1]!;
    const out = layout.acts[L - 1]!;
    const delta = layout.deltas[L - 1]!;
    const base = this.spec.loss === 'binaryCrossentropy' ? bceGrad(m, out, layout.y, delta, size, outUnits) : mseGrad(m, out, layout.y, delta, size, outUnits);
    kernels.activationGrad(delta, out, size * outUnits, shape.act[L - 1]!);
    for (let l = L - 1; l >= 0; l--) {
      const input = l === 0 ? layout.x : layout.acts[l - 1]!;
      kernels.gradWeights(input, layout.deltas[l]!, layout.grads + shape.kernelOffset[l]!, layout.grads + shape.biasOffset[l]!, size, shape.fanIn[l]!, shape.units[l]!);
      if (l > 0) kernels.backInput(layout.deltas[l]!, layout.weights + shape.kernelOffset[l]!, input, layout.deltas[l - 1]!, size, shape.fanIn[l]!, shape.units[l]!, shape.act[l - 1]!);
    }
    const prox = kernels.update(layout.weights, layout.grads, layout.anchor, shape.paramCount, learningRate, mu);
    return mu > 0 ? base + (mu / 2) * prox : base;
  }
}

/**
 * Mean BCE on probabilities clipped to [eps, 1 - eps]; writes dLoss/dp following tfjs's chain
 * (log gradients, zero where clipped).
 */
function bceGrad(m: Float32Array, pAt: number, yAt: number, dAt: number, rows: number, units: number): number {
  const n = rows * units;
  const g = Math.fround(-1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const raw = m[pAt + i]!;
    const t = m[yAt + Math.floor(i / units)]!;
    const p = raw < P_MIN ? P_MIN : raw > P_MAX ? P_MAX : raw;
    const q = Math.fround(1 - p);
    sum += t * Math.log(p) + (1 - t) * Math.log(q);
    m[dAt + i] = raw >= P_MIN && raw <= P_MAX ? Math.fround(g * t) / p - Math.fround(g * (1 - t)) / q : 0;
  }
  return -sum / n;
}

function mseGrad(m: Float32Array, pAt: number, yAt: number, dAt: number, rows: number, units: number): number {
  const n = rows * units;
  const g = Math.fround(1 / n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const diff = Math.fround(m[pAt + i]! - m[yAt + Math.floor(i / units)]!);
    sum += diff * diff;
    m[dAt + i] = g * Math.fround(diff * 2);
  }
  return sum / n;
}

/** Single-client mini-batch SGD with hand-written kernels; same semantics as `trainTf`. */
export function trainFast(spec: ModelSpec, init: Float32Array, data: TrainingData, config: LocalTrainConfig, kernels: KernelChoice = 'auto'): LocalTrainResult {
  return new FastWorkspace(spec, Math.max(1, Math.min(config.batchSize, data.n)), kernels).train(init, data, config);
}
