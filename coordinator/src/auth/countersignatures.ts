import { verifyCountersignature } from '@huddle/shared/secagg';
import type { EnrollmentTable } from './records.ts';

/** Where countersignatures live (SqlStore.countersignatures). */
export interface CountersignatureTable {
  put(clientId: string, auditorKey: Uint8Array, signature: Uint8Array, now: number): void;
  of(clientId: string, auditorKey: Uint8Array): Uint8Array | null;
  count(auditorKey: Uint8Array): number;
}

export type CountersignOutcome = { ok: true } | { ok: false; status: number; error: string };

/**
 * Stores an auditor's countersignature of one enrollment after checking it against the auditor key this coordinator
 * relays and the enrollment key on file. The signature is its own authentication: only the auditor key's holder can
 * make one, and the operator holds no such key.
 */
export function recordCountersignature(
  store: { enrollments: Pick<EnrollmentTable, 'byClientId'>; countersignatures: CountersignatureTable },
  auditorKey: Uint8Array,
  clientId: string,
  signature: Uint8Array,
  now: number,
): CountersignOutcome {
  const enrollment = store.enrollments.byClientId(clientId);
  if (!enrollment) return { ok: false, status: 404, error: 'no such enrollment' };
  if (enrollment.revokedAt !== null) return { ok: false, status: 410, error: 'this enrollment was revoked' };
  if (!verifyCountersignature(auditorKey, clientId, enrollment.publicKey, signature)) {
    return { ok: false, status: 401, error: "the signature is not the auditor's countersignature of this client id and its enrolled key" };
  }
  store.countersignatures.put(clientId, auditorKey, signature, now);
  return { ok: true };
}
