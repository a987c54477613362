import nacl from 'tweetnacl';
import { MAX_SHARING_DAYS, SUMMARY_CIPHERTEXT_BYTES } from '@huddle/shared/coach';
import { decodeBase64, randomId } from '../auth/secrets.ts';
import type { CoachStore, Refusal } from './coachAccess.ts';
import type { GrantRecord } from './records.ts';

/** Summaries kept per grant: enough for the board's "changed since the previous summary" and a week of history. */
export const SUMMARIES_KEPT = 14;
const DAY_MS = 86_400_000;

export function openGrant(store: CoachStore, clientId: string, p: { coachId: string; athleteBoxKey: string; expiresAt: number }, now: number): { ok: true; grant: GrantRecord } | Refusal {
  if (p.expiresAt <= now) return { ok: false, status: 400, error: 'payload.expiresAt: must be in the future' };
  if (p.expiresAt > now + MAX_SHARING_DAYS * DAY_MS) return { ok: false, status: 400, error: `payload.expiresAt: sharing lasts at most ${MAX_SHARING_DAYS} days` };
  const athleteBoxKey = decodeBase64(p.athleteBoxKey, nacl.box.publicKeyLength);
  if (!athleteBoxKey) return { ok: false, status: 400, error: 'payload.athleteBoxKey: must be base64 of 32 bytes' };
  return store.transaction(() => {
    const coach = store.coaches.coachById(p.coachId);
    if (!coach || coach.revokedAt !== null) return { ok: false as const, status: 404 as const, error: 'no active coach with this pairing code' };
    const grant: GrantRecord = { grantId: randomId('gr'), clientId, coachId: coach.coachId, athleteBoxKey, createdAt: now, expiresAt: p.expiresAt, revokedAt: null };
    try {
      store.coaches.insertGrant(grant);
    } catch {
      return { ok: false as const, status: 409 as const, error: 'this athlete key is already used by another sharing; make a new key per coach' };
    }
    return { ok: true as const, grant };
  });
}

/** The grant, if it is this athlete's and still open; why not otherwise. */
function ownOpenGrant(store: CoachStore, clientId: string, grantId: string, now: number): { ok: true; grant: GrantRecord } | Refusal {
  const grant = store.coaches.grantById(grantId);
  if (!grant || grant.clientId !== clientId) return { ok: false, status: 404, error: 'no such sharing for this athlete' };
  if (grant.revokedAt !== null) return { ok: false, status: 410, error: 'this sharing was revoked; nothing more is relayed for it' };
  if (grant.expiresAt <= now) return { ok: false, status: 410, error: 'this sharing has expired; nothing more is relayed for it' };
  const coach = store.coaches.coachById(grant.coachId);
  if (!coach || coach.revokedAt !== null) return { ok: false, status: 410, error: 'this coach was revoked by the operator' };
  return { ok: true, grant };
}

export function relaySummary(store: CoachStore, clientId: string, grantId: string, p: { nonce: string; ciphertext: string }, now: number): { ok: true } | Refusal {
  const nonce = decodeBase64(p.nonce, nacl.box.nonceLength);
  const ciphertext = decodeBase64(p.ciphertext, SUMMARY_CIPHERTEXT_BYTES);
  if (!nonce || !ciphertext) return { ok: false, status: 400, error: `payload: a summary is a 24-byte nonce and a ${SUMMARY_CIPHERTEXT_BYTES}-byte ciphertext, base64` };
  return store.transaction(() => {
    store.coaches.purgeExpired(now);
    const open = ownOpenGrant(store, clientId, grantId, now);
    if (!open.ok) return open;
    store.coaches.insertSummary(grantId, { nonce, ciphertext, receivedAt: now }, SUMMARIES_KEPT);
    return { ok: true as const };
  });
}

export function revokeGrant(store: CoachStore, clientId: string, grantId: string, now: number): { ok: true } | Refusal {
  return store.transaction(() => {
    const grant = store.coaches.grantById(grantId);
    if (!grant || grant.clientId !== clientId) return { ok: false as const, status: 404 as const, error: 'no such sharing for this athlete' };
    if (!store.coaches.revokeGrant(grantId, now)) return { ok: false as const, status: 410 as const, error: 'this sharing was already revoked' };
    return { ok: true as const };
  });
}
