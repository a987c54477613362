import { clipL2InPlace } from '@huddle/shared/privacy';

/**
 * Update = local minus global weights, scaled down to L2 norm <= bound (never up). Throws on
 * non-finite weights (diverged training): such an update cannot be bounded.
 */
export function clippedDelta(local: Float32Array, global: Float32Array, bound: number): { update: Float32Array; norm: number; clipped: boolean } {
  const update = new Float32Array(local.length);
  for (let i = 0; i < local.length; i++) update[i] = local[i]! - global[i]!;
  const { norm, scale } = clipL2InPlace(update, bound);
  return { update, norm, clipped: scale < 1 };
}
