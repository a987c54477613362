import type { TaskId } from '@huddle/shared/model';
import { inviteCodeHash, newInviteCode, normalizeInviteCode } from './inviteCode.ts';
import type { InviteRecord, SecurityStore } from './records.ts';
import { randomId } from './secrets.ts';

export interface InviteRequest {
  tasks: TaskId[];
  expiresInHours: number;
  note: string | null;
}

export interface IssuedInvite {
  id: string;
  /** Shown once, to be handed to the athlete; only its hash is stored. */
  code: string;
  tasks: TaskId[];
  expiresAt: number;
}

export function createInvite(store: Pick<SecurityStore, 'invites'>, request: InviteRequest, now = Date.now()): IssuedInvite {
  const code = newInviteCode();
  const record: InviteRecord = {
    id: randomId('inv'),
    tasks: request.tasks,
    note: request.note,
    createdAt: now,
    expiresAt: now + Math.round(request.expiresInHours * 3_600_000),
    usedAt: null,
    revokedAt: null,
  };
  store.invites.insert(record, inviteCodeHash(normalizeInviteCode(code)!, store.invites.codeKey()));
  return { id: record.id, code, tasks: record.tasks, expiresAt: record.expiresAt };
}

export type InviteState = 'pending' | 'used' | 'expired' | 'revoked';

export function inviteState(invite: InviteRecord, now: number): InviteState {
  if (invite.revokedAt !== null) return 'revoked';
  if (invite.usedAt !== null) return 'used';
  return invite.expiresAt <= now ? 'expired' : 'pending';
}

export type RevokeInviteOutcome = { ok: true } | { ok: false; status: 404 | 409 | 410; error: string };

/** Revokes an invite nobody has used yet (expired ones included). */
export function revokeInvite(store: Pick<SecurityStore, 'invites' | 'transaction'>, id: string, now = Date.now()): RevokeInviteOutcome {
  return store.transaction((): RevokeInviteOutcome => {
    const invite = store.invites.byId(id);
    if (!invite) return { ok: false, status: 404, error: 'no such invite' };
    if (invite.revokedAt !== null) return { ok: false, status: 410, error: 'this invite was already revoked' };
    if (invite.usedAt !== null) return { ok: false, status: 409, error: 'this invite was already used; revoke the enrollment instead (DELETE /api/enrollments/:clientId)' };
    store.invites.revoke(id, now);
    return { ok: true };
  });
}
