import { encodeFields, utf8, type Bytes } from './bytes.ts';
import { compareIds } from './ids.ts';

export const MASK_INFO = 'huddle/secagg/mask';
export const ENC_INFO = 'huddle/secagg/enc';

/** HKDF-SHA256 parameters: salt = round id, info = label plus the unordered pair, so keys bind to round and pair. */
function hkdfParams(label: string, roundId: string, a: string, b: string): HkdfParams {
  const [lo, hi] = compareIds(a, b) <= 0 ? [a, b] : [b, a];
  return { name: 'HKDF', hash: 'SHA-256', salt: utf8(roundId), info: encodeFields([label, lo, hi]) };
}

/** Pairwise mask seed s_uv as an AES-256-CTR key (the PRG key). */
export function deriveMaskKey(base: CryptoKey, roundId: string, a: string, b: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(hkdfParams(MASK_INFO, roundId, a, b), base, { name: 'AES-CTR', length: 256 }, false, [
    'encrypt',
  ]);
}

/** Pairwise key encrypting the Shamir shares exchanged between a and b (nacl.secretbox key). */
export async function deriveEncKey(base: CryptoKey, roundId: string, a: string, b: string): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.deriveBits(hkdfParams(ENC_INFO, roundId, a, b), base, 256));
}
