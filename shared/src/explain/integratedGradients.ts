/**
 * Integrated gradients for the dense networks of `ModelSpec` (relu / sigmoid / linear layers), computed on the flat
 * weight layout with analytic gradients: no tfjs, no tape, deterministic, usable in a page, a worker or Node.
 *
 * IG_i(x) = (x_i - x'_i) * integral_0^1 dF/dx_i (x' + a (x - x')) da, approximated with `steps` intervals.
 * Completeness: sum_i IG_i = F(x) - F(x') up to the quadrature error (which shrinks as `steps` grows; for relu
 * networks the integrand jumps where a unit switches on or off along the path, so the error is O(1/steps)).
 * F is the model output in label units (labelScale applied), so attributions are in the units the athlete sees:
 * probability for the injury model, readiness points for the readiness model.
 */
import type { Activation, ModelSpec } from '../model/spec.ts';

export type QuadratureRule = 'trapezoid' | 'left' | 'right' | 'midpoint';

export interface IntegratedGradientsOptions {
  /** Intervals of the path integral (default 64). */
  steps?: number;
  /** Reference input; default all zeros. Use the athlete's typical day (`meanFeatureVector`) to explain "why today differs". */
  baseline?: ArrayLike<number>;
  /** Default 'trapezoid'. */
  rule?: QuadratureRule;
}

export interface IntegratedGradientsResult {
  /** One attribution per input feature, in output (label) units. */
  attributions: Float64Array;
  /** F(x), label units. */
  prediction: number;
  /** F(baseline), label units. */
  baselinePrediction: number;
  /** sum(attributions) - (prediction - baselinePrediction): the quadrature error; 0 for an exact integral. */
  completenessGap: number;
  steps: number;
}

interface Layer {
  fanIn: number;
  units: number;
  activation: Activation;
  kernel: number;
  bias: number;
}

function layersOf(spec: ModelSpec, weights: ArrayLike<number>): Layer[] {
  const layers: Layer[] = [];
  let fanIn = spec.inputSize;
  let offset = 0;
  for (const layer of spec.layers) {
    layers.push({ fanIn, units: layer.units, activation: layer.activation, kernel: offset, bias: offset + fanIn * layer.units });
    offset += fanIn * layer.units + layer.units;
    fanIn = layer.units;
  }
  if (offset !== weights.length) throw new RangeError(`the ${spec.task} model needs ${offset} weights, got ${weights.length}`);
  const last = spec.layers[spec.layers.length - 1];
  if (!last || last.units !== 1) throw new RangeError('integrated gradients needs a network with one output unit');
  return layers;
}

function checkInput(spec: ModelSpec, x: ArrayLike<number>, what: string): void {
  if (x.length !== spec.inputSize) throw new RangeError(`${what} has ${x.length} values, the model takes ${spec.inputSize}`);
}

function activate(activation: Activation, z: number): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    case 'linear':
      return z;
  }
}

/** d act / d z, given z and act(z). The relu derivative at exactly 0 is taken as 0 (as tfjs does). */
function derivative(activation: Activation, z: number, a: number): number {
  switch (activation) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'sigmoid':
      return a * (1 - a);
    case 'linear':
      return 1;
  }
}

/** Pre-activations (z) and outputs (a) of every layer for one input. */
function trace(layers: readonly Layer[], weights: ArrayLike<number>, x: ArrayLike<number>): { z: Float64Array[]; a: Float64Array[] } {
  const zs: Float64Array[] = [];
  const as: Float64Array[] = [];
  let input: ArrayLike<number> = x;
  for (const layer of layers) {
    const z = new Float64Array(layer.units);
    for (let j = 0; j < layer.units; j++) z[j] = weights[layer.bias + j]!;
    for (let i = 0; i < layer.fanIn; i++) {
      const xi = input[i]!;
      if (xi === 0) continue;
      const row = layer.kernel + i * layer.units;
      for (let j = 0; j < layer.units; j++) z[j]! += xi * weights[row + j]!;
    }
    const a = new Float64Array(layer.units);
    for (let j = 0; j < layer.units; j++) a[j] = activate(layer.activation, z[j]!);
    zs.push(z);
    as.push(a);
    input = a;
  }
  return { z: zs, a: as };
}

/** The model's output for one input, in label units (matches tfjs `predictBatch` up to float32 rounding). */
export function predictOne(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>): number {
  const layers = layersOf(spec, weights);
  checkInput(spec, x, 'input');
  const { a } = trace(layers, weights, x);
  return a[a.length - 1]![0]! * spec.labelScale;
}

/** Outputs for n row-major inputs, label units. */
export function predictRows(spec: ModelSpec, weights: ArrayLike<number>, x: Float32Array | Float64Array, n: number): Float64Array {
  const f = spec.inputSize;
  if (x.length < n * f) throw new RangeError(`need ${n * f} input values, got ${x.length}`);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = predictOne(spec, weights, x.subarray(r * f, r * f + f));
  return out;
}

/** Output (label units) and its gradient with respect to the input, by backpropagation through the dense layers. */
export function inputGradient(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>): { output: number; gradient: Float64Array } {
  const layers = layersOf(spec, weights);
  checkInput(spec, x, 'input');
  return gradientOf(layers, spec.labelScale, weights, x);
}

function gradientOf(layers: readonly Layer[], labelScale: number, weights: ArrayLike<number>, x: ArrayLike<number>): { output: number; gradient: Float64Array } {
  const { z, a } = trace(layers, weights, x);
  const top = layers.length - 1;
  // dF/dz of the output unit.
  let gz = Float64Array.of(labelScale * derivative(layers[top]!.activation, z[top]![0]!, a[top]![0]!));
  for (let l = top; l >= 0; l--) {
    const layer = layers[l]!;
    const gInput = new Float64Array(layer.fanIn);
    for (let i = 0; i < layer.fanIn; i++) {
      const row = layer.kernel + i * layer.units;
      let s = 0;
      for (let j = 0; j < layer.units; j++) s += weights[row + j]! * gz[j]!;
      gInput[i] = s;
    }
    if (l === 0) return { output: a[top]![0]! * labelScale, gradient: gInput };
    const below = layers[l - 1]!;
    const next = new Float64Array(below.units);
    for (let i = 0; i < below.units; i++) next[i] = gInput[i]! * derivative(below.activation, z[l - 1]![i]!, a[l - 1]![i]!);
    gz = next;
  }
  throw new Error('unreachable');
}

/** Points along the path (as fractions alpha in [0, 1]) and their quadrature weights, summing to 1. */
export function quadrature(steps: number, rule: QuadratureRule): { alphas: Float64Array; weights: Float64Array } {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (rule === 'trapezoid') {
    const alphas = new Float64Array(steps + 1);
    const weights = new Float64Array(steps + 1);
    for (let k = 0; k <= steps; k++) {
      alphas[k] = k / steps;
      weights[k] = k === 0 || k === steps ? 0.5 / steps : 1 / steps;
    }
    return { alphas, weights };
  }
  const shift = rule === 'left' ? 0 : rule === 'right' ? 1 : 0.5;
  const alphas = new Float64Array(steps);
  const weights = new Float64Array(steps).fill(1 / steps);
  for (let k = 0; k < steps; k++) alphas[k] = (k + shift) / steps;
  return { alphas, weights };
}

/** Integrated-gradients attributions of one prediction (see the module comment). */
export function integratedGradients(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>, options: IntegratedGradientsOptions = {}): IntegratedGradientsResult {
  const layers = layersOf(spec, weights);
  checkInput(spec, x, 'input');
  const f = spec.inputSize;
  const baseline = options.baseline ?? new Float64Array(f);
  checkInput(spec, baseline, 'baseline');
  const steps = options.steps ?? 64;
  const { alphas, weights: w } = quadrature(steps, options.rule ?? 'trapezoid');
  const diff = new Float64Array(f);
  for (let i = 0; i < f; i++) diff[i] = x[i]! - baseline[i]!;
  const avgGrad = new Float64Array(f);
  const point = new Float64Array(f);
  for (let k = 0; k < alphas.length; k++) {
    const alpha = alphas[k]!;
    for (let i = 0; i < f; i++) point[i] = baseline[i]! + alpha * diff[i]!;
    const { gradient } = gradientOf(layers, spec.labelScale, weights, point);
    const wk = w[k]!;
    for (let i = 0; i < f; i++) avgGrad[i]! += wk * gradient[i]!;
  }
  const attributions = new Float64Array(f);
  let total = 0;
  for (let i = 0; i < f; i++) {
    attributions[i] = diff[i]! * avgGrad[i]!;
    total += attributions[i]!;
  }
  const prediction = predictOne(spec, weights, x);
  const baselinePrediction = predictOne(spec, weights, baseline);
  return { attributions, prediction, baselinePrediction, completenessGap: total - (prediction - baselinePrediction), steps };
}

/** Mean of the given rows (default: all n rows) of a row-major matrix with f columns: "your typical day". */
export function meanFeatureVector(x: ArrayLike<number>, f: number, rows?: readonly number[]): Float64Array {
  const n = Math.floor(x.length / Math.max(1, f));
  const chosen = rows ?? Array.from({ length: n }, (_, i) => i);
  const out = new Float64Array(f);
  if (chosen.length === 0) return out;
  for (const r of chosen) {
    if (r < 0 || r >= n) throw new RangeError(`row ${r} out of range`);
    for (let i = 0; i < f; i++) out[i]! += x[r * f + i]!;
  }
  for (let i = 0; i < f; i++) out[i]! /= chosen.length;
  return out;
}

export interface RankedAttribution {
  index: number;
  attribution: number;
}

/** Indices of the `k` largest attributions by magnitude (ties: lower index first), skipping exact zeros. */
export function topAttributions(attributions: ArrayLike<number>, k: number): RankedAttribution[] {
  const all: RankedAttribution[] = [];
  for (let i = 0; i < attributions.length; i++) {
    const a = attributions[i]!;
    if (a !== 0 && Number.isFinite(a)) all.push({ index: i, attribution: a });
  }
  all.sort((p, q) => Math.abs(q.attribution) - Math.abs(p.attribution) || p.index - q.index);
  return all.slice(0, Math.max(0, k));
}
