/**
 * Fixed-point encoding of clipped float updates into Z/2^32 for SecAgg.
 *
 * A coordinate x with |x| <= clip becomes q = floor(x * scale + u), u ~ U[0, 1) from the CSPRNG (stochastic rounding:
 * E[q] = x * scale up to 2^-32, |q - x * scale| < 1), stored as two's complement. Then |q| <= clip * scale + 1, and a
 * sum of n such values stays within int32, without wrapping, while n * (clip * scale + 1) < 2^31. `chooseScale` picks
 * the largest power of two meeting that with `headroomBits` to spare (powers of two keep x * scale and the final
 * division exact in floating point). The dequantized sum is off by less than n / scale per coordinate.
 */
export interface ScaleOptions {
  /** Per-coordinate bound: the L2 clip norm bounds every coordinate. */
  readonly clip: number;
  /** Largest number of inputs summed. */
  readonly maxClients: number;
  /** Extra bits of margin below 2^31 (default 0). */
  readonly headroomBits?: number;
}

const INT32_LIMIT = 2 ** 31;

export function chooseScale({ clip, maxClients, headroomBits = 0 }: ScaleOptions): number {
  if (!(clip > 0) || !Number.isFinite(clip)) throw new RangeError('clip must be positive and finite');
  if (!Number.isSafeInteger(maxClients) || maxClients < 1) throw new RangeError('maxClients must be a positive integer');
  if (!Number.isInteger(headroomBits) || headroomBits < 0 || headroomBits > 30) {
    throw new RangeError('headroomBits must be an integer in [0, 30]');
  }
  // Largest scale with n * (clip * scale + 1) <= 2^(31 - h) - 1 < 2^31.
  const bound = ((2 ** (31 - headroomBits) - 1) / maxClients - 1) / clip;
  if (!(bound > 0)) throw new RangeError('no scale keeps the sum of maxClients inputs within int32; lower headroomBits');
  let scale = 2 ** Math.floor(Math.log2(bound));
  while (scale > bound) scale /= 2;
  while (scale * 2 <= bound) scale *= 2;
  return scale;
}

const RANDOM_CHUNK = 16384;

/**
 * Stochastically rounded two's-complement encoding; RangeError if a coordinate is not finite or overflows int32.
 * The rounding draws come from the CSPRNG unless a (seeded, simulation-only) source is given.
 */
export function quantize(update: ArrayLike<number>, scale: number, random?: { nextUint32(): number }): Uint32Array {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale must be positive and finite');
  const n = update.length;
  const out = new Uint32Array(n);
  const noise = new Uint32Array(Math.min(n, RANDOM_CHUNK));
  for (let start = 0; start < n; start += RANDOM_CHUNK) {
    const end = Math.min(n, start + RANDOM_CHUNK);
    if (random) for (let i = 0; i < end - start; i++) noise[i] = random.nextUint32();
    else crypto.getRandomValues(noise.subarray(0, end - start));
    for (let i = start; i < end; i++) {
      const q = Math.floor(update[i]! * scale + noise[i - start]! / 4294967296);
      if (!(q >= -INT32_LIMIT && q < INT32_LIMIT)) {
        throw new RangeError(`coordinate ${i} (${update[i]}) does not fit int32 at scale ${scale}`);
      }
      out[i] = q;
    }
  }
  return out;
}

/** Reads each coordinate of the aggregated sum as int32 and divides by the scale. */
export function dequantizeSum(sum: Uint32Array, scale: number): Float32Array {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError('scale must be positive and finite');
  const out = new Float32Array(sum.length);
  for (let i = 0; i < sum.length; i++) out[i] = (sum[i]! | 0) / scale;
  return out;
}
