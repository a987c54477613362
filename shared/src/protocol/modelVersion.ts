import nacl from 'tweetnacl';
import { z } from 'zod';
import { nonNegInt } from './schemas.ts';

/**
 * Which global model a message means: the round that produced it (0 = initial) and a checksum of its
 * weight bytes. A client that holds this version is not sent the weights again, and adopts a model
 * only once the coordinator has committed its round.
 */
export const modelVersionSchema = z.object({
  round: nonNegInt,
  checksum: z.string().regex(/^[0-9a-f]{16}$/),
});
export type ModelVersion = z.infer<typeof modelVersionSchema>;

/** First 8 bytes of SHA-512 over the weights as sent (little-endian float32), as hex. */
export function modelChecksum(weightBytes: Uint8Array): string {
  return [...nacl.hash(weightBytes).subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function sameVersion(a: ModelVersion | null | undefined, b: ModelVersion | null | undefined): boolean {
  return !!a && !!b && a.round === b.round && a.checksum === b.checksum;
}
