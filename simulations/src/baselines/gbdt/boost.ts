import { applyBins, binCounts, fitBinEdges, type BinEdges, type BinnedMatrix } from './binning.ts';
import { gradients, initialScore, meanLoss, median, sigmoid, type GbdtLoss } from './losses.ts';
import { growTree, predictTree, type Tree, type TreeParams } from './tree.ts';

export interface GbdtParams extends TreeParams {
  loss: GbdtLoss;
  learningRate: number;
  /** Most trees; with validation data, boosting stops once `patience` trees in a row did not improve it. */
  maxIterations: number;
  patience: number;
  maxBins: number;
}

export const DEFAULT_GBDT_PARAMS: Omit<GbdtParams, 'loss'> = { learningRate: 0.1, maxIterations: 200, patience: 10, maxBins: 64, maxLeafNodes: 31, maxDepth: Infinity, minSamplesLeaf: 20, l2: 1 };

export interface GbdtModel {
  loss: GbdtLoss;
  edges: BinEdges;
  base: number;
  learningRate: number;
  trees: Tree[];
}

export interface Matrix {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  rows: number;
}

export interface FitReport {
  model: GbdtModel;
  /** Trees kept (the best validation loss when validation data was given). */
  iterations: number;
  /** Validation loss after each tree (empty without validation data). */
  validationLoss: number[];
}

/**
 * Histogram gradient boosting (as in LightGBM or scikit-learn's HistGradientBoosting): features are
 * binned once, each tree is grown on per-bin gradient sums. With the absolute loss the leaf values are
 * the median residual of the leaf's rows, as scikit-learn does.
 */
export function fitGbdt(train: Matrix, features: number, params: GbdtParams, validation?: Matrix, binEdges?: BinEdges): FitReport {
  if (train.rows === 0) throw new RangeError('no training rows');
  const edges = binEdges ?? fitBinEdges(train.x, train.rows, features, params.maxBins);
  const perFeature = binCounts(edges);
  const m = applyBins(train.x, train.rows, edges);
  const mv = validation && validation.rows > 0 ? applyBins(validation.x, validation.rows, edges) : null;
  const base = initialScore(params.loss, train.y);
  const raw = new Float64Array(train.rows).fill(base);
  const rawVal = new Float64Array(mv?.rows ?? 0).fill(base);
  const g = new Float64Array(train.rows);
  const h = new Float64Array(train.rows);
  const all = Int32Array.from({ length: train.rows }, (_, i) => i);
  const trees: Tree[] = [];
  const validationLoss: number[] = [];
  let best = Infinity;
  let bestIterations = 0;
  for (let it = 0; it < params.maxIterations; it++) {
    gradients(params.loss, train.y, raw, g, h);
    const { tree, leafRows } = growTree(m, perFeature, all, g, h, params);
    for (const [node, rows] of leafRows) {
      const v = params.loss === 'absolute' ? median(Float64Array.from(rows, (r) => train.y[r]! - raw[r]!)) : tree.value[node]!;
      tree.value[node] = params.learningRate * v;
      for (const r of rows) raw[r]! += tree.value[node]!;
    }
    trees.push(tree);
    if (!mv || !validation) continue;
    for (let r = 0; r < mv.rows; r++) rawVal[r]! += predictTree(tree, mv, r);
    const loss = meanLoss(params.loss, validation.y, rawVal);
    validationLoss.push(loss);
    if (loss < best - 1e-12) {
      best = loss;
      bestIterations = it + 1;
    } else if (it + 1 - bestIterations >= params.patience) break;
  }
  const iterations = mv ? Math.max(1, bestIterations) : trees.length;
  return { model: { loss: params.loss, edges, base, learningRate: params.learningRate, trees: trees.slice(0, iterations) }, iterations, validationLoss };
}

/** Raw scores (log odds for the logistic loss). */
export function predictRaw(model: GbdtModel, x: ArrayLike<number>, rows: number): Float64Array {
  const m: BinnedMatrix = applyBins(x, rows, model.edges);
  const out = new Float64Array(rows).fill(model.base);
  for (const t of model.trees) for (let r = 0; r < rows; r++) out[r]! += predictTree(t, m, r);
  return out;
}

/** Predictions in label units: probabilities for the logistic loss. */
export function predictGbdt(model: GbdtModel, x: ArrayLike<number>, rows: number): Float64Array {
  const raw = predictRaw(model, x, rows);
  return model.loss === 'logistic' ? raw.map(sigmoid) : raw;
}
