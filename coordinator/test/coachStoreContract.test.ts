import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { coachFingerprint } from '@huddle/shared/coach';
import { enroll } from '../src/auth/enrollment.ts';
import { createInvite } from '../src/auth/invites.ts';
import { coachForToken, coachInviteState, createCoachInvite, enrollCoach } from '../src/coach/coachAccess.ts';
import { openGrant, relaySummary, revokeGrant } from '../src/coach/relay.ts';
import { PostgresStore } from '../src/store/postgresStore.ts';
import { SqliteStore, type SqlStore } from '../src/store/sqliteStore.ts';
import { usePostgres } from './helpers/usePostgres.ts';
import { tempDir } from './helpers/tempDir.ts';

// Coaches, grants and relayed ciphertexts (schema version 4): the same behaviour on SQLite and PostgreSQL.
const postgres = usePostgres();

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const HOUR = 3_600_000;

const opens: [string, () => Promise<{ store: SqlStore; close(): void }>][] = [
  [
    'SqliteStore',
    async () => {
      const tmp = tempDir();
      const store = SqliteStore.inDirectory(tmp.dir);
      return { store, close: () => (store.close(), tmp.remove()) };
    },
  ],
  ['PostgresStore', async () => {
    const store = PostgresStore.connect(await postgres.createSchema());
    return { store, close: () => store.close() };
  }],
];

describe.each(opens)('coach tables: %s', (_name, open) => {
  it('enrolls a coach by invite, relays and prunes ciphertexts, revokes and purges them', async () => {
    const { store, close } = await open();
    try {
      const now = 1_800_000_000_000;
      const invite = createCoachInvite(store, { expiresInHours: 1, note: null }, now);
      const box = nacl.box.keyPair();
      const coach = enrollCoach(store, invite.code, box.publicKey, now);
      if (!coach.ok) throw new Error(coach.error);
      expect(coach.coachId).toBe(coachFingerprint(box.publicKey));
      expect(enrollCoach(store, invite.code, nacl.box.keyPair().publicKey, now)).toMatchObject({ ok: false, status: 410 });
      expect(coachInviteState(store.coaches.listInvites()[0]!, now)).toBe('used');
      expect(store.coaches.listInvites()[0]!.coachId).toBe(coach.coachId);
      expect(coachForToken(store, coach.token)?.boxPublicKey).toEqual(box.publicKey);

      const athleteInvite = createInvite(store, { tasks: ['injury'], expiresInHours: 1, note: null }, now);
      const athlete = enroll(store, athleteInvite.code, nacl.sign.keyPair().publicKey, now);
      if (!athlete.ok) throw new Error(athlete.error);
      const grant = openGrant(store, athlete.clientId, { coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: now + 2 * HOUR }, now);
      if (!grant.ok) throw new Error(grant.error);
      expect(store.coaches.listCoaches(now)).toEqual([expect.objectContaining({ coachId: coach.coachId, activeGrants: 1 })]);
      for (let i = 0; i < 16; i++) {
        const nonce = nacl.randomBytes(24);
        const ciphertext = nacl.randomBytes(2064);
        ciphertext[0] = i;
        expect(relaySummary(store, athlete.clientId, grant.grant.grantId, { nonce: b64(nonce), ciphertext: b64(ciphertext) }, now + i).ok).toBe(true);
      }
      const kept = store.coaches.summariesOf(grant.grant.grantId, 100);
      expect(kept.map((s) => s.ciphertext[0])).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(kept[13]!.ciphertext).toHaveLength(2064);
      expect(store.coaches.activeGrantsOf(coach.coachId, now).map((g) => g.grantId)).toEqual([grant.grant.grantId]);

      expect(store.coaches.purgeExpired(now + HOUR)).toBe(0);
      expect(store.coaches.activeGrantsOf(coach.coachId, now + 3 * HOUR)).toEqual([]);
      expect(store.coaches.purgeExpired(now + 3 * HOUR)).toBe(14);

      const second = openGrant(store, athlete.clientId, { coachId: coach.coachId, athleteBoxKey: b64(nacl.box.keyPair().publicKey), expiresAt: now + 2 * HOUR }, now);
      if (!second.ok) throw new Error(second.error);
      relaySummary(store, athlete.clientId, second.grant.grantId, { nonce: b64(nacl.randomBytes(24)), ciphertext: b64(nacl.randomBytes(2064)) }, now);
      expect(revokeGrant(store, athlete.clientId, second.grant.grantId, now).ok).toBe(true);
      expect(store.coaches.summaryCount()).toBe(0);
      expect(relaySummary(store, athlete.clientId, second.grant.grantId, { nonce: b64(nacl.randomBytes(24)), ciphertext: b64(nacl.randomBytes(2064)) }, now)).toMatchObject({ ok: false, status: 410 });
      expect(store.coaches.revokeCoach(coach.coachId, now)).toBe(true);
      expect(coachForToken(store, coach.token)).toBeNull();
    } finally {
      close();
    }
  });
});
