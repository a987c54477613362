import { SecAggError } from './errors.ts';

/** Vectors over Z/2^32: Uint32Array stores reduce mod 2^32, and the wire format is little-endian. */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Reads little-endian uint32 words (copying, so the result owns an aligned buffer). */
export function wordsFromLeBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new RangeError('byte length is not a multiple of 4');
  const words = new Uint32Array(bytes.length / 4);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(words.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  }
  return words;
}

/** Like `wordsFromLeBytes` but takes ownership of `buffer` (no copy on little-endian hosts). */
export function wordsFromLeBuffer(buffer: ArrayBuffer): Uint32Array {
  return LITTLE_ENDIAN_HOST ? new Uint32Array(buffer) : wordsFromLeBytes(new Uint8Array(buffer));
}

export function wordsToLeBytes(words: Uint32Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(words.length * 4);
  if (LITTLE_ENDIAN_HOST) {
    bytes.set(new Uint8Array(words.buffer, words.byteOffset, words.byteLength));
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]!, true);
  }
  return bytes;
}

/** acc += sign * v (mod 2^32), in place. */
export function accumulate(acc: Uint32Array, v: Uint32Array, sign: 1 | -1): void {
  const n = acc.length;
  if (v.length !== n) throw new RangeError('vector length mismatch');
  if (sign === 1) {
    for (let i = 0; i < n; i++) acc[i] = acc[i]! + v[i]!;
  } else {
    for (let i = 0; i < n; i++) acc[i] = acc[i]! - v[i]!;
  }
}

/**
 * The masked vector as `length` elements of Z/2^32, from wire bytes, a Uint32Array, or plain numbers.
 * SecAggError INPUT_LENGTH for a wrong length, INPUT_OUT_OF_FIELD for anything that is not an integer in [0, 2^32).
 */
export function toFieldVector(y: unknown, length: number): Uint32Array {
  const wrongLength = () => new SecAggError('INPUT_LENGTH', `expected ${length} elements of Z/2^32`);
  if (y instanceof Uint32Array) {
    if (y.length !== length) throw wrongLength();
    return Uint32Array.from(y);
  }
  if (y instanceof Uint8Array) {
    if (y.length !== 4 * length) throw wrongLength();
    return wordsFromLeBytes(y);
  }
  if (!Array.isArray(y)) throw new SecAggError('INPUT_OUT_OF_FIELD', 'masked input is neither bytes nor numbers');
  if (y.length !== length) throw wrongLength();
  const out = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    const e: unknown = y[i];
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 0 || e > 0xffffffff) {
      throw new SecAggError('INPUT_OUT_OF_FIELD', `element ${i} is not an integer in [0, 2^32)`);
    }
    out[i] = e;
  }
  return out;
}
