import type { TaskId } from '@huddle/shared/model';
import { inviteCodeHash, normalizeInviteCode } from './inviteCode.ts';
import { inviteState } from './invites.ts';
import type { SecurityStore } from './records.ts';
import { randomId } from './secrets.ts';

export type EnrollOutcome = { ok: true; clientId: string; tasks: TaskId[] } | { ok: false; status: 400 | 404 | 409 | 410; error: string };

const GONE: Record<'used' | 'expired' | 'revoked', string> = {
  used: 'this invite code was already used',
  expired: 'this invite code has expired; ask for a new one',
  revoked: 'this invite code was revoked',
};

/** Redeems an invite for a device's public key; the client id handed back is random. */
export function enroll(store: Pick<SecurityStore, 'invites' | 'enrollments' | 'transaction'>, typedCode: string, publicKey: Uint8Array, now = Date.now()): EnrollOutcome {
  const canonical = normalizeInviteCode(typedCode);
  if (canonical === null) return { ok: false, status: 400, error: 'an invite code is 20 letters and digits, XXXXX-XXXXX-XXXXX-XXXXX (dashes and spaces are ignored)' };
  return store.transaction((): EnrollOutcome => {
    const invite = store.invites.byCodeHash(inviteCodeHash(canonical, store.invites.codeKey()));
    if (!invite) return { ok: false, status: 404, error: 'unknown invite code' };
    const state = inviteState(invite, now);
    if (state !== 'pending') return { ok: false, status: 410, error: GONE[state] };
    if (store.enrollments.byPublicKey(publicKey)) return { ok: false, status: 409, error: 'this public key is already enrolled; generate a new key pair per enrollment' };
    if (!store.invites.markUsed(invite.id, now)) return { ok: false, status: 410, error: GONE.used };
    const clientId = randomId('cl');
    store.enrollments.insert({ clientId, publicKey, tasks: invite.tasks, inviteId: invite.id, enrolledAt: now, revokedAt: null });
    return { ok: true, clientId, tasks: invite.tasks };
  });
}
