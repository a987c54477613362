import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 through Node's OpenSSL: the same RFC 8032 signatures as tweetnacl (which the browser side and
 * `shared` keep), 50-100x faster on the coordinator's hot path (every hello and every sealed message of
 * every client). One difference, on the strict side: OpenSSL refuses a signature whose scalar S is not
 * reduced (S >= L), which tweetnacl accepts; honest signers never produce one.
 */

// The DER prefix that wraps a raw 32-byte Ed25519 seed as PKCS#8.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Imported keys by their bytes: enrollment records are cached, but a cohort's node gets its members' keys
 * afresh in every round's order, and importing costs more than verifying. Bounded: the oldest go first.
 */
const imported = new Map<string, KeyObject | null>();
const MAX_IMPORTED = 20_000; // about 2 kB each
let importCount = 0;

function publicKeyObject(publicKey: Uint8Array, keep = true): KeyObject | null {
  const id = Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64');
  const known = imported.get(id);
  if (known !== undefined) return known;
  let key: KeyObject | null;
  importCount++;
  try {
    // As a JWK: OpenSSL 3 takes the raw key directly, about 8x faster than decoding the same key as DER (SPKI).
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey.buffer, publicKey.byteOffset, publicKey.byteLength).toString('base64url') }, format: 'jwk' });
  } catch {
    key = null;
  }
  if (!keep) return key;
  if (imported.size >= MAX_IMPORTED) imported.delete(imported.keys().next().value!);
  imported.set(id, key);
  return key;
}

/**
 * Imports a key ahead of its first signature (a cohort's node, as each of its clients joins): verifying that client's
 * messages in a round then finds it imported. Malformed keys are remembered as such, as when verifying.
 */
export function warmEd25519Key(publicKey: Uint8Array): void {
  if (publicKey.length === 32) publicKeyObject(publicKey);
}

/** Keys this process has imported so far (tests: a cohort whose keys were warmed imports none in its round). */
export function ed25519KeyImports(): number {
  return importCount;
}

/**
 * True when `signature` is an Ed25519 signature of `message` by `publicKey` (false for any malformed input, never a throw).
 * `keep: false` does not remember a key imported for this one check (a hello whose later messages another node verifies).
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array, keep = true): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const key = publicKeyObject(publicKey, keep);
  if (!key) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** A signer for a 32-byte Ed25519 seed (tweetnacl's secret key is seed || public key; its first 32 bytes are the seed). */
export function ed25519Signer(seed: Uint8Array): (message: Uint8Array) => Uint8Array {
  if (seed.length !== 32 && seed.length !== 64) throw new Error('an Ed25519 seed is 32 bytes (or a 64-byte tweetnacl secret key)');
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  return (message) => new Uint8Array(sign(null, message, key));
}

/** The raw 32-byte public key of a seed. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const der = createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed.subarray(0, 32)]), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** SHA-256 through OpenSSL: the bytes of shared's plain-JS `sha256`, for a sealed message's body digest (envelope.ts). */
export function sha256Native(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}
