/** Update = local minus global weights, scaled down to L2 norm <= bound (never up). */
export function clippedDelta(local: Float32Array, global: Float32Array, bound: number): { update: Float32Array; norm: number; clipped: boolean } {
  const update = new Float32Array(local.length);
  let sq = 0;
  for (let i = 0; i < local.length; i++) {
    const d = local[i]! - global[i]!;
    update[i] = d;
    sq += d * d;
  }
  const norm = Math.sqrt(sq);
  if (norm <= bound) return { update, norm, clipped: false };
  // Float32 rounding must not push the result over the bound the coordinator checks.
  const scale = (bound / norm) * (1 - 1e-6);
  for (let i = 0; i < update.length; i++) update[i]! *= scale;
  return { update, norm, clipped: true };
}
