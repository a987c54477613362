import { coachFingerprint } from '@huddle/shared/coach';
import { inviteCodeHash, newInviteCode, normalizeInviteCode } from '../auth/inviteCode.ts';
import type { SecurityStore } from '../auth/records.ts';
import { newBearerToken, randomId, sha256 } from '../auth/secrets.ts';
import type { CoachInviteRecord, CoachRecord, CoachTables } from './records.ts';

export type CoachStore = Pick<SecurityStore, 'invites' | 'enrollments' | 'usedSignatures' | 'transaction'> & { readonly coaches: CoachTables };

export type CoachInviteState = 'pending' | 'used' | 'expired' | 'revoked';

export function coachInviteState(i: CoachInviteRecord, now: number): CoachInviteState {
  if (i.revokedAt !== null) return 'revoked';
  if (i.usedAt !== null) return 'used';
  return i.expiresAt <= now ? 'expired' : 'pending';
}

/** A new coach invite; the code is returned once and only its HMAC (under the invite key) is stored. */
export function createCoachInvite(store: CoachStore, request: { expiresInHours: number; note: string | null }, now: number): { id: string; code: string; expiresAt: number } {
  const code = newInviteCode();
  const record: CoachInviteRecord = { id: randomId('cinv'), note: request.note, createdAt: now, expiresAt: now + Math.round(request.expiresInHours * 3_600_000), usedAt: null, revokedAt: null };
  store.coaches.insertInvite(record, inviteCodeHash(normalizeInviteCode(code)!, store.invites.codeKey()));
  return { id: record.id, code, expiresAt: record.expiresAt };
}

export type Refusal = { ok: false; status: 400 | 403 | 404 | 409 | 410; error: string };

export function revokeCoachInvite(store: CoachStore, id: string, now: number): { ok: true } | Refusal {
  return store.transaction((): { ok: true } | Refusal => {
    const invite = store.coaches.inviteById(id);
    if (!invite) return { ok: false, status: 404, error: 'no such coach invite' };
    if (invite.revokedAt !== null) return { ok: false, status: 410, error: 'this coach invite was already revoked' };
    if (invite.usedAt !== null) return { ok: false, status: 409, error: 'this coach invite was already used; revoke the coach instead (DELETE /api/coaches/:coachId)' };
    store.coaches.revokeInvite(id, now);
    return { ok: true };
  });
}

const GONE = { used: 'this coach invite was already used', expired: 'this coach invite has expired; ask for a new one', revoked: 'this coach invite was revoked' } as const;

/**
 * Redeems a coach invite for the coach device's box public key. The coach's id is the key's fingerprint, so the id the
 * coach shows as its pairing code names exactly this key. The bearer token returned is the coach's credential for
 * reading its board; only its hash is stored.
 */
export function enrollCoach(store: CoachStore, typedCode: string, boxPublicKey: Uint8Array, now: number): { ok: true; coachId: string; token: string } | Refusal {
  const canonical = normalizeInviteCode(typedCode);
  if (canonical === null) return { ok: false, status: 400, error: 'an invite code is 20 letters and digits, XXXXX-XXXXX-XXXXX-XXXXX (dashes and spaces are ignored)' };
  return store.transaction(() => {
    const invite = store.coaches.inviteByCodeHash(inviteCodeHash(canonical, store.invites.codeKey()));
    if (!invite) return { ok: false as const, status: 404 as const, error: 'unknown coach invite code' };
    const state = coachInviteState(invite, now);
    if (state !== 'pending') return { ok: false as const, status: 410 as const, error: GONE[state] };
    const coachId = coachFingerprint(boxPublicKey);
    if (store.coaches.coachById(coachId)) return { ok: false as const, status: 409 as const, error: 'this key is already enrolled as a coach; generate a new key pair per enrollment' };
    if (!store.coaches.markInviteUsed(invite.id, now)) return { ok: false as const, status: 410 as const, error: GONE.used };
    const token = newBearerToken();
    const record: CoachRecord = { coachId, boxPublicKey, inviteId: invite.id, enrolledAt: now, revokedAt: null };
    store.coaches.insertCoach(record, sha256(token));
    return { ok: true as const, coachId, token };
  });
}

/** The active coach a bearer token belongs to, or null. */
export function coachForToken(store: CoachStore, token: string): CoachRecord | null {
  if (token.length < 16 || token.length > 256) return null;
  const coach = store.coaches.coachByTokenHash(sha256(token));
  return coach && coach.revokedAt === null ? coach : null;
}
