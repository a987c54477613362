import { decodeWeights, parameterCount, type WeightEntry } from '@huddle/shared/model';
import { modelChecksum } from '@huddle/shared/protocol';

interface Verified {
  byteOffset: number;
  byteLength: number;
  checksum: string;
  weights: Float32Array;
}

/**
 * Received weight bytes already checked and decoded, by the memory they sit in. Over a socket every message has its
 * own memory, so nothing repeats; in process, one broadcast reaches every client in the same bytes, which are then
 * hashed and decoded once and the clients share one read-only Float32Array. That array is decodeWeights' owned copy,
 * never a view over the frame: a client keeps it for rounds, and a hit returns weights that did match `checksum` when
 * hashed, so even memory a transport reused for other bytes cannot pass off another model.
 */
const verified = new WeakMap<ArrayBufferLike, Verified>();

/** The weights `bytes` carry, or null when they do not match `checksum` (the model version they were sent as). */
export function verifiedWeights(bytes: Uint8Array, checksum: string, manifest: readonly WeightEntry[]): Float32Array | null {
  const hit = verified.get(bytes.buffer);
  if (hit && hit.byteOffset === bytes.byteOffset && hit.byteLength === bytes.byteLength && hit.checksum === checksum && hit.weights.length === parameterCount(manifest)) {
    return hit.weights;
  }
  if (modelChecksum(bytes) !== checksum) return null;
  const weights = decodeWeights(bytes, manifest);
  verified.set(bytes.buffer, { byteOffset: bytes.byteOffset, byteLength: bytes.byteLength, checksum, weights });
  return weights;
}
