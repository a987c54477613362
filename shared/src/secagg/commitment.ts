import { sha256 } from '@noble/hashes/sha2.js';
import { encodeFields, type Bytes } from './bytes.ts';

// SHA-256 in plain JS (@noble/hashes), byte for byte WebCrypto's digest: thousands of 100-byte hashes a round, where
// each WebCrypto call costs a thread-pool job and a promise.
const LABEL = 'huddle/secagg/self-mask-commitment/v1';

/**
 * SHA-256 commitment to the self-mask seed b_u, sent to the server with the shares (an addition to Bonawitz et al.):
 * it lets the server detect a corrupted share set before unmasking with a wrong b_u. b_u is 256 uniform bits and is
 * disclosed to the server anyway once u's input is unmasked, so the hash tells the server nothing new.
 */
export function selfMaskCommitment(roundId: string, clientId: string, seed: Uint8Array): Bytes {
  return sha256(encodeFields([LABEL, roundId, clientId, seed])) as Bytes;
}

const SHARE_LABEL = 'huddle/secagg/share-commitment/v1';

/**
 * The dealer's commitment to one Shamir share it deals to `to` (an addition to Bonawitz et al.): the holder checks it
 * when it opens the ciphertext and the server checks it when the share is revealed, so a holder revealing a bad share
 * is identified and its shares are left out instead of spoiling reconstruction. A share is 32 uniform bytes to anyone
 * holding fewer than t of them, so the hash discloses nothing a brute force could use.
 */
export function shareCommitment(roundId: string, from: string, to: string, kind: 'b' | 's', share: Uint8Array): Bytes {
  return sha256(encodeFields([SHARE_LABEL, roundId, from, to, kind, share])) as Bytes;
}
