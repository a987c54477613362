import type { CredentialRecord, SecurityStore, StaffRole } from './records.ts';
import { newBearerToken, randomId, sha256 } from './secrets.ts';

type Store = Pick<SecurityStore, 'credentials' | 'transaction'>;

/**
 * At first start: creates the admin credential and returns its token, the only time it exists
 * in clear. Null when an admin credential already exists.
 */
export function ensureAdminCredential(store: Store, now = Date.now()): string | null {
  return store.transaction(() => (store.credentials.countActive('admin') > 0 ? null : issueCredential(store, 'admin', 'created at first start', now).token));
}

/**
 * Offline recovery of a lost admin token: revokes every admin credential and issues one new
 * admin token, in one transaction. Analyst credentials are untouched.
 */
export function rotateAdminCredential(store: Store, now = Date.now()): { token: string; revoked: number } {
  return store.transaction(() => {
    const revoked = store.credentials.revokeRole('admin', now);
    return { token: issueCredential(store, 'admin', 'rotated offline (coordinator admin-token)', now).token, revoked };
  });
}

/** A new credential of `role`; the returned token is never stored, only its hash. */
export function issueCredential(store: Store, role: StaffRole, note: string | null, now = Date.now()): { id: string; token: string; role: StaffRole } {
  const token = newBearerToken();
  const record: CredentialRecord = { id: randomId('cred'), role, note, createdAt: now, revokedAt: null };
  store.credentials.insert(record, sha256(token));
  return { id: record.id, token, role };
}

/** The active credential a bearer token belongs to, or null. */
export function credentialForToken(store: Store, token: string): CredentialRecord | null {
  if (token.length < 16 || token.length > 256) return null;
  const record = store.credentials.byTokenHash(sha256(token));
  return record && record.revokedAt === null ? record : null;
}
