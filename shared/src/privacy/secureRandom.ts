/** Uniform random numbers for noise generation, drawn from the Web Crypto CSPRNG by default. */

/** A source of uniformly random 32-bit words. Only a CSPRNG-backed source is fit for privacy noise. */
export interface RandomSource {
  nextUint32(): number;
}

const BUFFER_WORDS = 16_384; // 64 KiB, the most one getRandomValues call may fill

class CryptoRandomSource implements RandomSource {
  private readonly buffer = new Uint32Array(BUFFER_WORDS);
  private next = BUFFER_WORDS;

  nextUint32(): number {
    if (this.next === BUFFER_WORDS) {
      globalThis.crypto.getRandomValues(this.buffer);
      this.next = 0;
    }
    return this.buffer[this.next++]!;
  }
}

/** Shared CSPRNG source (globalThis.crypto.getRandomValues), in browsers and Node alike. */
export const secureRandom: RandomSource = new CryptoRandomSource();

/** Uniform double in [0, 1) with all 53 mantissa bits random: (27 bits * 2^26 + 26 bits) / 2^53. */
export function uniform53(random: RandomSource = secureRandom): number {
  const high = random.nextUint32() >>> 5;
  const low = random.nextUint32() >>> 6;
  return (high * 67_108_864 + low) / 9_007_199_254_740_992;
}

/** Uniform integer in [0, n) for 1 <= n <= 2^32, by rejection (no modulo bias). */
export function uniformInt(n: number, random: RandomSource = secureRandom): number {
  if (!Number.isInteger(n) || n < 1 || n > 4_294_967_296) throw new RangeError(`uniformInt range must be an integer in [1, 2^32], got ${n}`);
  const limit = 4_294_967_296 - (4_294_967_296 % n);
  for (;;) {
    const word = random.nextUint32();
    if (word < limit) return word % n;
  }
}
