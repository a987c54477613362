import nacl from 'tweetnacl';
import { enroll } from '../../src/auth/enrollment.ts';
import { createInvite } from '../../src/auth/invites.ts';
import type { SqliteStore } from '../../src/store/sqliteStore.ts';

export interface EnrolledDevice {
  clientId: string;
  keys: nacl.SignKeyPair;
}

/** Issues an invite and redeems it with a fresh key pair, as an athlete's device would. */
export function enrollDevice(store: SqliteStore, tasks: ('injury' | 'readiness')[] = ['injury', 'readiness']): EnrolledDevice {
  const keys = nacl.sign.keyPair();
  const invite = createInvite(store, { tasks, expiresInHours: 1, note: null });
  const outcome = enroll(store, invite.code, keys.publicKey);
  if (!outcome.ok) throw new Error(outcome.error);
  return { clientId: outcome.clientId, keys };
}
