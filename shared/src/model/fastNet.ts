import type { Activation, ModelSpec } from './spec.ts';

export const ACT_LINEAR = 0;
export const ACT_RELU = 1;
export const ACT_SIGMOID = 2;

const ACTIVATION_CODE: Record<Activation, number> = { linear: ACT_LINEAR, relu: ACT_RELU, sigmoid: ACT_SIGMOID };

/** Per-layer sizes and flat-layout offsets (in floats) of a ModelSpec network. */
export interface NetShape {
  inputSize: number;
  fanIn: number[];
  units: number[];
  act: number[];
  kernelOffset: number[];
  biasOffset: number[];
  paramCount: number;
}

export function netShape(spec: ModelSpec): NetShape {
  const shape: NetShape = { inputSize: spec.inputSize, fanIn: [], units: [], act: [], kernelOffset: [], biasOffset: [], paramCount: 0 };
  let fanIn = spec.inputSize;
  let offset = 0;
  for (const layer of spec.layers) {
    shape.fanIn.push(fanIn);
    shape.units.push(layer.units);
    shape.act.push(ACTIVATION_CODE[layer.activation]);
    shape.kernelOffset.push(offset);
    offset += fanIn * layer.units;
    shape.biasOffset.push(offset);
    offset += layer.units;
    fanIn = layer.units;
  }
  shape.paramCount = offset;
  return shape;
}

/**
 * Float offsets of every buffer one training step touches, all inside one Float32Array so the
 * same layout serves the JS kernels and a WebAssembly memory.
 */
export interface WorkspaceLayout {
  weights: number;
  grads: number;
  anchor: number;
  x: number;
  y: number;
  /** Post-activation outputs per layer, [batch, units]. */
  acts: number[];
  /** dLoss/d(pre-activation) per layer, [batch, units]; reused for dLoss/d(output) of the layer below. */
  deltas: number[];
  /** dOutput/dInput per row, [batch, inputSize] (explanations). */
  inputGrad: number;
  /** Row indices scratch (nonzero input columns), Int32 view over the same bytes. */
  index: number;
  floats: number;
}

/** 16-byte aligned regions so SIMD loads never straddle. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

export function workspaceLayout(shape: NetShape, batchSize: number, base = 0): WorkspaceLayout {
  let at = align4(base);
  const take = (n: number): number => {
    const start = at;
    at = align4(at + n);
    return start;
  };
  const P = shape.paramCount;
  const layout: WorkspaceLayout = {
    weights: take(P),
    grads: take(P),
    anchor: take(P),
    x: take(batchSize * shape.inputSize),
    y: take(batchSize),
    acts: shape.units.map((u) => take(batchSize * u)),
    deltas: shape.units.map((u) => take(batchSize * u)),
    inputGrad: take(batchSize * shape.inputSize),
    index: take(Math.max(shape.inputSize, ...shape.units)),
    floats: 0,
  };
  layout.floats = at;
  return layout;
}
