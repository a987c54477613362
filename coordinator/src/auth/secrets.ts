import { createHash, randomBytes } from 'node:crypto';

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** An opaque random id (128 bits), safe in URLs and logs. */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** A bearer token: 32 random bytes. The prefix lets secret scanners recognise a leaked one. */
export function newBearerToken(): string {
  return `hdl_${randomBytes(32).toString('base64url')}`;
}

/** For logs: enough to tell two secrets apart, far too little to use one. */
export function redact(secret: string): string {
  return secret.length <= 8 ? '…' : `${secret.slice(0, 6)}…`;
}

/** Strict base64 (standard or url alphabet, padding optional) to bytes; null if malformed or not `length` bytes. */
export function decodeBase64(text: unknown, length: number): Uint8Array | null {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === length ? new Uint8Array(bytes) : null;
}
