/**
 * Integrated gradients for the dense networks of `ModelSpec` (relu / sigmoid / linear layers), through the network's
 * own forward and backward kernels (model/network.ts): no tfjs, no second copy of the maths, deterministic, usable
 * in a page, a worker or Node. All path points go through the kernels as one batch; arithmetic is float32 like
 * training, with the quadrature sum in float64.
 *
 * IG_i(x) = (x_i - x'_i) * integral_0^1 dF/dx_i (x' + a (x - x')) da, approximated with `steps` intervals.
 * Completeness: sum_i IG_i = F(x) - F(x') up to the quadrature error (which shrinks as `steps` grows; for relu
 * networks the integrand jumps where a unit switches on or off along the path, so the error is O(1/steps)).
 * F is the model output in label units (labelScale applied), so attributions are in the units the athlete sees:
 * probability for the injury model, readiness points for the readiness model.
 */
import { netShape } from '../model/fastNet.ts';
import { networkInputGradients, predictNetwork } from '../model/network.ts';
import type { ModelSpec } from '../model/spec.ts';

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

function checkModel(spec: ModelSpec, weights: ArrayLike<number>): void {
  const count = netShape(spec).paramCount;
  if (count !== weights.length) throw new RangeError(`the ${spec.task} model needs ${count} weights, got ${weights.length}`);
  const last = spec.layers[spec.layers.length - 1];
  if (!last || last.units !== 1) throw new RangeError('integrated gradients needs a network with one output unit');
}

function checkInput(spec: ModelSpec, x: ArrayLike<number>, what: string): void {
  if (x.length !== spec.inputSize) throw new RangeError(`${what} has ${x.length} values, the model takes ${spec.inputSize}`);
}

/** The model's output for one input, in label units (`predictNetwork` on one row). */
export function predictOne(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>): number {
  checkModel(spec, weights);
  checkInput(spec, x, 'input');
  return predictNetwork(spec, weights, x, 1)[0]!;
}

/** Output (label units) and its gradient with respect to the input (`networkInputGradients` on one row). */
export function inputGradient(spec: ModelSpec, weights: ArrayLike<number>, x: ArrayLike<number>): { output: number; gradient: Float64Array } {
  checkModel(spec, weights);
  checkInput(spec, x, 'input');
  const { outputs, gradients } = networkInputGradients(spec, weights, x, 1);
  return { output: outputs[0]!, gradient: Float64Array.from(gradients) };
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
  checkModel(spec, weights);
  checkInput(spec, x, 'input');
  const f = spec.inputSize;
  const baseline = options.baseline ?? new Float64Array(f);
  checkInput(spec, baseline, 'baseline');
  const steps = options.steps ?? 64;
  const { alphas, weights: w } = quadrature(steps, options.rule ?? 'trapezoid');
  const diff = new Float64Array(f);
  for (let i = 0; i < f; i++) diff[i] = x[i]! - baseline[i]!;
  // Every point of the path, then x and the baseline themselves, through one batched forward and backward pass.
  const points = alphas.length;
  const rows = new Float32Array((points + 2) * f);
  for (let k = 0; k < points; k++) for (let i = 0; i < f; i++) rows[k * f + i] = baseline[i]! + alphas[k]! * diff[i]!;
  for (let i = 0; i < f; i++) {
    rows[points * f + i] = x[i]!;
    rows[(points + 1) * f + i] = baseline[i]!;
  }
  const { outputs, gradients } = networkInputGradients(spec, weights, rows, points + 2);
  const avgGrad = new Float64Array(f);
  for (let k = 0; k < points; k++) {
    const wk = w[k]!;
    for (let i = 0; i < f; i++) avgGrad[i]! += wk * gradients[k * f + i]!;
  }
  const attributions = new Float64Array(f);
  let total = 0;
  for (let i = 0; i < f; i++) {
    attributions[i] = diff[i]! * avgGrad[i]!;
    total += attributions[i]!;
  }
  const prediction = outputs[points]!;
  const baselinePrediction = outputs[points + 1]!;
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
