import { combine, split } from 'shamir-secret-sharing';
import { copyBytes, type Bytes } from './bytes.ts';
import { SecAggError } from './errors.ts';

/** A share of a 32-byte secret: 32 bytes of GF(2^8) evaluations followed by the 1-byte x-coordinate. */
export const SECRET_BYTES = 32;
export const SHARE_BYTES = SECRET_BYTES + 1;

/** t-of-|holders| sharing; holders[i] gets shares[i]. The library insists on a plain Uint8Array, hence the copy. */
export async function shareSecret(
  secret: Uint8Array,
  holders: readonly string[],
  threshold: number,
): Promise<Map<string, Bytes>> {
  if (secret.length !== SECRET_BYTES) throw new RangeError('secrets are 32 bytes');
  const shares = await split(copyBytes(secret), holders.length, threshold);
  return new Map(holders.map((h, i) => [h, shares[i] as Bytes]));
}

/** Any `threshold` distinct shares determine the secret; extra ones are ignored (the caller verifies the result). */
export async function recoverSecret(shares: readonly Uint8Array[], threshold: number): Promise<Bytes> {
  if (shares.length < threshold) {
    throw new SecAggError('INSUFFICIENT_SHARES', `need ${threshold} shares, have ${shares.length}`);
  }
  try {
    return (await combine(shares.slice(0, threshold).map(copyBytes))) as Bytes;
  } catch (e) {
    throw new SecAggError('RECONSTRUCTION_FAILED', `Shamir combine failed: ${(e as Error).message}`);
  }
}
