import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeFields, utf8, type Bytes } from './bytes.ts';
import { compareIds } from './ids.ts';
import { importPrgSeed } from './prg.ts';

export const MASK_INFO = 'huddle/secagg/mask';
export const ENC_INFO = 'huddle/secagg/enc';

/**
 * HKDF-SHA256 (RFC 5869) of the raw X25519 shared secret: salt = round id, info = label plus the unordered pair, so
 * keys bind to round and pair. Plain JS (@noble/hashes), byte for byte WebCrypto's HKDF deriveBits (a test checks):
 * a client derives 2k keys a round and each WebCrypto HKDF call costs far more than the hashing.
 */
function pairKey(label: string, secret: Uint8Array, roundId: string, a: string, b: string): Bytes {
  if (secret.length !== 32) throw new RangeError('X25519 shared secrets are 32 bytes');
  const [lo, hi] = compareIds(a, b) <= 0 ? [a, b] : [b, a];
  return hkdf(sha256, secret, utf8(roundId), encodeFields([label, lo, hi]), 32) as Bytes;
}

/** Pairwise mask seed s_uv as an AES-256-CTR key (the PRG key); the seed bytes are wiped once imported. */
export async function deriveMaskKey(secret: Uint8Array, roundId: string, a: string, b: string): Promise<CryptoKey> {
  const seed = pairKey(MASK_INFO, secret, roundId, a, b);
  try {
    return await importPrgSeed(seed);
  } finally {
    seed.fill(0);
  }
}

/** Pairwise key encrypting the Shamir shares exchanged between a and b (nacl.secretbox key). */
export function deriveEncKey(secret: Uint8Array, roundId: string, a: string, b: string): Bytes {
  return pairKey(ENC_INFO, secret, roundId, a, b);
}
