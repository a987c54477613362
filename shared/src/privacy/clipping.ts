/** L2 clipping of model updates: the sensitivity bound the Gaussian mechanism's noise is scaled to. */
import { requireFinitePositive } from './checks.ts';

export interface ClipResult {
  clipped: Float32Array;
  /** L2 norm of the input before clipping. */
  norm: number;
  /** Factor applied: min(1, bound / norm). */
  scale: number;
}

/** L2 norm accumulated in double precision. */
export function l2Norm(v: Float32Array): number {
  let sumSquares = 0;
  for (let i = 0; i < v.length; i++) sumSquares += v[i]! * v[i]!;
  return Math.sqrt(sumSquares);
}

/**
 * Scale factor that brings `v` to L2 norm at most `bound`. Throws on non-finite entries: a NaN or
 * infinite update cannot be clipped to a bounded norm and would void the privacy guarantee.
 */
function clipScale(v: Float32Array, bound: number): { norm: number; scale: number } {
  requireFinitePositive('clip bound', bound);
  const norm = l2Norm(v);
  if (!Number.isFinite(norm)) throw new RangeError('cannot clip an update with non-finite entries');
  // Rounding to float32 can push the scaled norm a few ulps over the bound; the 1 - 1e-6 margin absorbs it.
  const scale = norm > bound ? (bound / norm) * (1 - 1e-6) : 1;
  return { norm, scale };
}

/** A clipped copy of `update`; the input is not modified. */
export function clipL2(update: Float32Array, bound: number): ClipResult {
  const { norm, scale } = clipScale(update, bound);
  const clipped = new Float32Array(update.length);
  for (let i = 0; i < update.length; i++) clipped[i] = update[i]! * scale;
  return { clipped, norm, scale };
}

/** Clips `update` in place and returns it as `clipped`. */
export function clipL2InPlace(update: Float32Array, bound: number): ClipResult {
  const { norm, scale } = clipScale(update, bound);
  if (scale !== 1) for (let i = 0; i < update.length; i++) update[i] = update[i]! * scale;
  return { clipped: update, norm, scale };
}
