import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { signHello } from '@huddle/shared/protocol';
import { EnrollmentVerifier } from '../src/auth/clientVerifier.ts';
import { enroll } from '../src/auth/enrollment.ts';
import { createInvite } from '../src/auth/invites.ts';
import { PostgresStore } from '../src/store/postgresStore.ts';
import type { SqlStore } from '../src/store/sqliteStore.ts';
import { usePostgres } from './helpers/usePostgres.ts';

// The PostgreSQL store answers enrollment lookups from memory (CachedEnrollments): revocation must still hold.
const postgres = usePostgres();

const REFRESH_MS = 150;

function enrollOne(store: SqlStore) {
  const keys = nacl.sign.keyPair();
  const invite = createInvite(store, { tasks: ['injury'], expiresInHours: 1, note: null });
  const outcome = enroll(store, invite.code, keys.publicKey);
  if (!outcome.ok) throw new Error(outcome.error);
  return { clientId: outcome.clientId, keys };
}

const helloOk = (verifier: EnrollmentVerifier, device: { clientId: string; keys: nacl.SignKeyPair }) => {
  const nonce = nacl.randomBytes(32);
  return verifier.verifyHello(device.clientId, nonce, signHello(device.keys.secretKey, nonce, device.clientId, ['injury']), ['injury']).ok;
};

describe('PostgresStore enrollment cache', () => {
  it('sees its own enrollments, revocations and erasures at once (no refresh needed)', async () => {
    const url = await postgres.createSchema();
    const store = PostgresStore.connect(url, { enrollmentCacheMs: 600_000 });
    try {
      const verifier = new EnrollmentVerifier(store);
      expect(store.enrollments.byClientId('cl_nobody')).toBeNull();
      const a = enrollOne(store);
      const b = enrollOne(store);
      expect(helloOk(verifier, a)).toBe(true);
      expect(helloOk(verifier, b)).toBe(true);
      expect(store.enrollments.revoke(a.clientId, Date.now())).toBe(true);
      expect(verifier.isActive(a.clientId)).toBe(false);
      expect(helloOk(verifier, a)).toBe(false);
      expect(store.enrollments.erase(b.clientId)).toBe(true);
      expect(verifier.isActive(b.clientId)).toBe(false);
      expect(helloOk(verifier, b)).toBe(false);
    } finally {
      store.close();
    }
  });

  it("sees another process's enrollments, revocations and erasures within the refresh interval", async () => {
    const url = await postgres.createSchema();
    const leader = PostgresStore.connect(url, { enrollmentCacheMs: REFRESH_MS });
    const other = PostgresStore.connect(url, { enrollmentCacheMs: REFRESH_MS });
    try {
      const verifier = new EnrollmentVerifier(leader);
      const b = enrollOne(leader);
      expect(helloOk(verifier, b)).toBe(true);
      // Through another process: refused once the refresh interval has passed, not later.
      const c = enrollOne(other);
      expect(other.enrollments.revoke(b.clientId, Date.now() + 1)).toBe(true);
      await new Promise((r) => setTimeout(r, REFRESH_MS + 50));
      expect(verifier.isActive(b.clientId)).toBe(false);
      expect(helloOk(verifier, b)).toBe(false);
      expect(helloOk(verifier, c)).toBe(true);

      other.enrollments.erase(c.clientId);
      await new Promise((r) => setTimeout(r, REFRESH_MS + 50));
      expect(leader.enrollments.byClientId(c.clientId)).toBeNull();
      expect(helloOk(verifier, c)).toBe(false);
    } finally {
      leader.close();
      other.close();
    }
  });

  it('keeps nothing a rolled-back transaction wrote', async () => {
    const url = await postgres.createSchema();
    const store = PostgresStore.connect(url, { enrollmentCacheMs: 60_000 });
    try {
      const keys = nacl.sign.keyPair();
      expect(store.enrollments.byClientId('cl_phantom')).toBeNull();
      expect(() =>
        store.transaction(() => {
          store.enrollments.insert({ clientId: 'cl_phantom', publicKey: keys.publicKey, tasks: ['injury'], inviteId: null, enrolledAt: Date.now(), revokedAt: null });
          expect(store.enrollments.byClientId('cl_phantom')?.clientId).toBe('cl_phantom');
          throw new Error('roll back');
        }),
      ).toThrow('roll back');
      expect(store.enrollments.byClientId('cl_phantom')).toBeNull();
    } finally {
      store.close();
    }
  });
});
