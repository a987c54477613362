import type { IncomingHttpHeaders } from 'node:http';
import type { CredentialRecord, SecurityStore, StaffRole } from './records.ts';
import { credentialForToken } from './credentials.ts';

const RANK: Record<StaffRole, number> = { analyst: 1, admin: 2 };

/** Admins may do everything analysts may. */
export function roleSatisfies(held: StaffRole, needed: StaffRole): boolean {
  return RANK[held] >= RANK[needed];
}

export type RoleDecision = { ok: true; credential: CredentialRecord } | { ok: false; status: 401 | 403; error: string };

/** Decides whether a request's bearer token grants at least `needed`. */
export type RoleChecker = (headers: IncomingHttpHeaders, needed: StaffRole) => RoleDecision;

export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match ? match[1]! : null;
}

export function storeRoleChecker(store: Pick<SecurityStore, 'credentials' | 'transaction'>): RoleChecker {
  return (headers, needed) => {
    const token = bearerToken(headers);
    if (token === null) return { ok: false, status: 401, error: 'this endpoint needs a credential: send "Authorization: Bearer <token>"' };
    const credential = credentialForToken(store, token);
    if (!credential) return { ok: false, status: 401, error: 'unknown or revoked credential' };
    if (!roleSatisfies(credential.role, needed)) return { ok: false, status: 403, error: `this endpoint needs the ${needed} role; this credential is ${credential.role}` };
    return { ok: true, credential };
  };
}
