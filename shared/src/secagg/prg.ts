import { copyBytes } from './bytes.ts';
import { wordsFromLeBuffer } from './field.ts';

/**
 * PRG(seed) = AES-256-CTR keystream under key `seed`, initial counter block all-zero (full 128-bit counter),
 * read as little-endian uint32 words. Identical bytes in every WebCrypto implementation and in node:crypto's
 * `aes-256-ctr` with a zero IV.
 */
const ZERO_COUNTER = new Uint8Array(16);
let zeros = new Uint8Array(0);

function zeroPlaintext(byteLength: number): Uint8Array<ArrayBuffer> {
  if (zeros.length < byteLength) zeros = new Uint8Array(byteLength);
  return zeros.subarray(0, byteLength);
}

export async function importPrgSeed(seed: Uint8Array): Promise<CryptoKey> {
  if (seed.length !== 32) throw new RangeError('PRG seed must be 32 bytes');
  return crypto.subtle.importKey('raw', copyBytes(seed), { name: 'AES-CTR' }, false, ['encrypt']);
}

export async function expandPrg(key: CryptoKey, words: number): Promise<Uint32Array> {
  const stream = await crypto.subtle.encrypt(
    { name: 'AES-CTR', counter: ZERO_COUNTER, length: 128 },
    key,
    zeroPlaintext(words * 4),
  );
  return wordsFromLeBuffer(stream);
}

export async function prg(seed: Uint8Array, words: number): Promise<Uint32Array> {
  return expandPrg(await importPrgSeed(seed), words);
}
