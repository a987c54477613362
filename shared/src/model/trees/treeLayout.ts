import { additiveLayout } from '../additive/layout.ts';
import type { ModelSettings } from '../settings.ts';
import type { WeightEntry } from '../spec.ts';

/**
 * Flat layout of the boosted tree model: [base score, rounds done, then per tree its nodes and leaves]. A tree of
 * depth D has 2^D - 1 split nodes in breadth-first order (node k's children are 2k + 1 and 2k + 2) and 2^D leaves.
 * Per split node: the split feature + 1 (0 = no split: every day goes left), the last histogram bin that goes left
 * (bins are the additive model's fixed bins, `additiveLayout`; bin 0 is the missing slot), whether the missing slot
 * goes left, and the bounds [lower, upper] that monotone constraints put on every leaf below the node.
 * A round builds one level of the tree in progress from the clients' per-node histograms; the leaves are set with
 * its last level, so an unfinished tree scores 0.
 */
export const TREE_DEFAULTS = { depth: 3, count: 64, levelRounds: 1 } as const;

/** Bound of an unconstrained node (finite, so the vector stays finite in float32). */
export const UNBOUNDED = 1e30;

export interface TreeShape {
  depth: number;
  count: number;
  /** Rounds whose histograms (their mean) build one level. */
  levelRounds: number;
  /** Split nodes per tree. */
  nodes: number;
  /** Leaves per tree. */
  leaves: number;
  /** Floats per tree. */
  stride: number;
  /** Histogram slots per node in a contribution: the intercept slot (the node's totals) and every feature's bins. */
  slots: number;
}

export const BASE = 0;
export const PROGRESS = 1;
const HEADER = 2;
/** Offsets of a tree's parts, relative to its start: 5 blocks of `nodes` values, then the leaves. */
export const SPLIT_FEATURE = 0;
export const SPLIT_BIN = 1;
export const MISSING_LEFT = 2;
export const LOWER = 3;
export const UPPER = 4;

export function treeShape(settings: Pick<ModelSettings, 'treeDepth' | 'treeCount' | 'treeLevelRounds'>): TreeShape {
  const depth = settings.treeDepth ?? TREE_DEFAULTS.depth;
  const count = settings.treeCount ?? TREE_DEFAULTS.count;
  const nodes = 2 ** depth - 1;
  const leaves = 2 ** depth;
  return { depth, count, levelRounds: settings.treeLevelRounds ?? TREE_DEFAULTS.levelRounds, nodes, leaves, stride: 5 * nodes + leaves, slots: additiveLayout().pairOffset };
}

/** Start of tree t in the parameter vector. */
export function treeStart(shape: TreeShape, t: number): number {
  return HEADER + t * shape.stride;
}

/** Index of part `part` of split node k of the tree starting at `start`. */
export function nodeAt(shape: TreeShape, start: number, part: number, k: number): number {
  return start + part * shape.nodes + k;
}

/** Index of leaf l of the tree starting at `start`. */
export function leafAt(shape: TreeShape, start: number, l: number): number {
  return start + 5 * shape.nodes + l;
}

export function treeParameterCount(shape: TreeShape): number {
  return HEADER + shape.count * shape.stride;
}

export function treeManifest(settings: ModelSettings): WeightEntry[] {
  const shape = treeShape(settings);
  return [
    { name: 'trees/header', shape: [HEADER] },
    { name: 'trees/trees', shape: [shape.count, shape.stride] },
  ];
}

/** A contribution: per node of the widest level, [G, H] over every histogram slot, divided by the client's day count. */
export function treeContributionManifest(settings: ModelSettings): WeightEntry[] {
  const shape = treeShape(settings);
  return [
    { name: 'trees/gradients', shape: [2 ** (shape.depth - 1), shape.slots] },
    { name: 'trees/hessians', shape: [2 ** (shape.depth - 1), shape.slots] },
  ];
}

/**
 * Which tree and level the next round works on (tree === count: every tree is built), and whether that round
 * builds the level (its last of `levelRounds`). The header's progress counts rounds.
 */
export function treeProgress(shape: TreeShape, params: ArrayLike<number>): { tree: number; level: number; builds: boolean } {
  const rounds = Math.max(0, Math.round(params[PROGRESS]!));
  const done = Math.floor(rounds / shape.levelRounds);
  const tree = Math.min(shape.count, Math.floor(done / shape.depth));
  return { tree, level: tree === shape.count ? 0 : done % shape.depth, builds: rounds % shape.levelRounds === shape.levelRounds - 1 };
}

/** Rounds the whole model takes. */
export function treeRounds(shape: TreeShape): number {
  return shape.depth * shape.count * shape.levelRounds;
}
