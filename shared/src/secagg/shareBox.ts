import nacl from 'tweetnacl';
import { copyBytes, decodeFields, encodeFields, fromUtf8, randomBytes, type Bytes } from './bytes.ts';
import { SecAggError } from './errors.ts';
import { SHARE_BYTES } from './shamir.ts';

/** Plaintext of Bonawitz et al. Round 1: u || v || share of b_u || share of s_u^SK, plus the round id. */
export interface SharePayload {
  readonly roundId: string;
  readonly from: string;
  readonly to: string;
  readonly selfMaskShare: Bytes;
  readonly maskKeyShare: Bytes;
}

const LABEL = 'huddle/secagg/shares/v1';
export const NONCE_BYTES = nacl.secretbox.nonceLength;

/** XSalsa20-Poly1305 with a fresh random nonce; the pairwise key serves both directions, so ids live in the plaintext. */
export function sealShares(key: Uint8Array, p: SharePayload): { nonce: Bytes; box: Bytes } {
  const nonce = randomBytes(NONCE_BYTES);
  const plain = encodeFields([LABEL, p.roundId, p.from, p.to, p.selfMaskShare, p.maskKeyShare]);
  return { nonce, box: copyBytes(nacl.secretbox(plain, nonce, key)) };
}

/** Authenticates and parses; the caller checks the ids and round against the envelope and its own view. */
export function openShares(key: Uint8Array, nonce: Uint8Array, box: Uint8Array): SharePayload {
  if (nonce.length !== NONCE_BYTES) throw new SecAggError('INVALID_MESSAGE', 'bad nonce length');
  const plain = nacl.secretbox.open(box, nonce, key);
  if (!plain) throw new SecAggError('DECRYPT_FAILED', 'share ciphertext failed authentication');
  const malformed = () => new SecAggError('INVALID_MESSAGE', 'malformed share plaintext');
  const fields = decodeFields(plain, 6);
  if (!fields) throw malformed();
  const [label, roundId, from, to, selfMaskShare, maskKeyShare] = fields as [Bytes, Bytes, Bytes, Bytes, Bytes, Bytes];
  let text: string[];
  try {
    text = [label, roundId, from, to].map(fromUtf8);
  } catch {
    throw malformed();
  }
  if (text[0] !== LABEL || selfMaskShare.length !== SHARE_BYTES || maskKeyShare.length !== SHARE_BYTES) {
    throw malformed();
  }
  return { roundId: text[1]!, from: text[2]!, to: text[3]!, selfMaskShare, maskKeyShare };
}
