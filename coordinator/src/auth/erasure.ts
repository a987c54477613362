import nacl from 'tweetnacl';
import type { SecurityStore } from './records.ts';
import { decodeBase64, sha256 } from './secrets.ts';

/** How far the signed timestamp may be from the coordinator's clock, either way. */
export const ERASURE_WINDOW_MS = 5 * 60_000;

import { erasureMessage } from '@huddle/shared/protocol';

export { erasureMessage, signErasure } from '@huddle/shared/protocol';

export type ErasureOutcome = { ok: true } | { ok: false; status: 400 | 401 | 404; error: string };

/**
 * An athlete's self-erasure, authorised by a fresh signature of the enrolled key. Each signed
 * request works once: it is remembered (by what was signed, so a re-encoded signature of the same
 * request is refused too) until it would be stale anyway.
 */
export function eraseEnrollment(
  store: Pick<SecurityStore, 'enrollments' | 'usedSignatures' | 'transaction'>,
  clientId: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  now = Date.now(),
): ErasureOutcome {
  if (timestampHeader === undefined || !/^\d{1,16}$/.test(timestampHeader)) return { ok: false, status: 400, error: 'X-Huddle-Timestamp must be the signing time in epoch milliseconds' };
  const signature = decodeBase64(signatureHeader, nacl.sign.signatureLength);
  if (!signature) return { ok: false, status: 400, error: 'X-Huddle-Signature must be a base64 Ed25519 signature (64 bytes)' };
  const timestamp = Number(timestampHeader);
  if (Math.abs(now - timestamp) > ERASURE_WINDOW_MS) return { ok: false, status: 401, error: 'the signed timestamp is more than 5 minutes from the coordinator clock; sign again' };
  const message = new TextEncoder().encode(erasureMessage(clientId, timestamp));
  const requestHash = sha256(message);
  if (store.usedSignatures.seen(requestHash)) return { ok: false, status: 401, error: 'this signed request was already used; sign a new one' };
  return store.transaction((): ErasureOutcome => {
    const enrollment = store.enrollments.byClientId(clientId);
    if (!enrollment) return { ok: false, status: 404, error: 'no such enrollment' };
    if (!nacl.sign.detached.verify(message, signature, enrollment.publicKey)) return { ok: false, status: 401, error: 'the signature does not match the enrolled key' };
    if (!store.usedSignatures.claim(requestHash, timestamp + ERASURE_WINDOW_MS, now)) return { ok: false, status: 401, error: 'this signed request was already used; sign a new one' };
    store.enrollments.erase(clientId);
    return { ok: true };
  });
}
