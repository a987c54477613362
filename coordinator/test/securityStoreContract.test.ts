import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialForToken, ensureAdminCredential, issueCredential } from '../src/auth/credentials.ts';
import { enroll } from '../src/auth/enrollment.ts';
import { createInvite, revokeInvite } from '../src/auth/invites.ts';
import { PostgresStore } from '../src/store/postgresStore.ts';
import { SqliteStore, type SqlStore } from '../src/store/sqliteStore.ts';
import { usePostgres } from './helpers/usePostgres.ts';
import { tempDir } from './helpers/tempDir.ts';

// Enrollments, invites, credentials and replay-protection signatures: the same behaviour on SQLite and PostgreSQL.
const postgres = usePostgres();

const opens: [string, () => Promise<{ store: SqlStore; reopen(): SqlStore; close(): void }>][] = [
  [
    'SqliteStore',
    async () => {
      const tmp = tempDir();
      let store: SqlStore = SqliteStore.inDirectory(tmp.dir);
      return {
        store,
        reopen: () => (store.close(), (store = SqliteStore.inDirectory(tmp.dir))),
        close: () => (store.close(), tmp.remove()),
      };
    },
  ],
  [
    'PostgresStore',
    async () => {
      const url = await postgres.createSchema();
      let store: SqlStore = PostgresStore.connect(url);
      return { store, reopen: () => (store.close(), (store = PostgresStore.connect(url))), close: () => store.close() };
    },
  ],
];

describe.each(opens)('SecurityStore contract: %s', (_name, open) => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()!();
  });
  async function fresh() {
    const s = await open();
    cleanups.push(() => s.close());
    return s;
  }

  it('creates the admin credential once, checks tokens by hash, and revokes', async () => {
    const s = await fresh();
    const admin = ensureAdminCredential(s.store)!;
    expect(admin).toMatch(/^hdl_/);
    expect(ensureAdminCredential(s.reopen())).toBeNull();
    const analyst = issueCredential(s.reopen(), 'analyst', 'notebook');
    const store = s.reopen();
    expect(credentialForToken(store, admin)?.role).toBe('admin');
    expect(credentialForToken(store, analyst.token)).toMatchObject({ id: analyst.id, role: 'analyst', note: 'notebook', revokedAt: null });
    expect(credentialForToken(store, `${analyst.token}x`)).toBeNull();
    expect(store.credentials.countActive('analyst')).toBe(1);
    expect(store.credentials.revoke(analyst.id, 5)).toBe(true);
    expect(store.credentials.revoke(analyst.id, 6)).toBe(false);
    expect(store.credentials.countActive('analyst')).toBe(0);
  });

  it('redeems an invite exactly once, lists it with its client, and keeps a revoked one unusable', async () => {
    const s = await fresh();
    const invite = createInvite(s.store, { tasks: ['injury', 'readiness'], expiresInHours: 1, note: 'team A' });
    const other = createInvite(s.store, { tasks: ['injury'], expiresInHours: 1, note: null });
    const key = nacl.sign.keyPair().publicKey;
    const first = enroll(s.store, invite.code, key);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.tasks).toEqual(['injury', 'readiness']);
    expect(enroll(s.store, invite.code, nacl.sign.keyPair().publicKey)).toMatchObject({ ok: false, status: 410 });
    expect(enroll(s.store, other.code, key)).toMatchObject({ ok: false, status: 409 });
    const store = s.reopen();
    expect(store.invites.list().map((i) => [i.id, i.clientId])).toEqual([
      [invite.id, first.clientId],
      [other.id, null],
    ]);
    expect(revokeInvite(store, other.id).ok).toBe(true);
    expect(enroll(store, other.code, nacl.sign.keyPair().publicKey)).toMatchObject({ ok: false, status: 410 });
    const enrolled = store.enrollments.byClientId(first.clientId)!;
    expect(Array.from(enrolled.publicKey)).toEqual(Array.from(key));
    expect(store.enrollments.byPublicKey(key)?.clientId).toBe(first.clientId);
  });

  it('summarises, revokes and erases enrollments', async () => {
    const s = await fresh();
    const ids: string[] = [];
    for (const tasks of [['injury'], ['injury', 'readiness'], ['readiness']] as const) {
      const r = enroll(s.store, createInvite(s.store, { tasks: [...tasks], expiresInHours: 1, note: null }).code, nacl.sign.keyPair().publicKey);
      if (r.ok) ids.push(r.clientId);
    }
    expect(s.store.enrollments.summary()).toEqual({ active: 3, revoked: 0, byTask: { injury: 2, readiness: 2 } });
    expect(s.store.enrollments.revoke(ids[0]!, 10)).toBe(true);
    expect(s.store.enrollments.revoke(ids[0]!, 11)).toBe(false);
    expect(s.store.enrollments.erase(ids[1]!)).toBe(true);
    expect(s.store.enrollments.erase(ids[1]!)).toBe(false);
    expect(s.reopen().enrollments.summary()).toEqual({ active: 1, revoked: 1, byTask: { readiness: 1 } });
  });

  it('accepts a signature once and forgets it only after it expired', async () => {
    const s = await fresh();
    const sig = nacl.randomBytes(32);
    expect(s.store.usedSignatures.claim(sig, 1_000, 0)).toBe(true);
    expect(s.store.usedSignatures.claim(sig, 1_000, 10)).toBe(false);
    expect(s.reopen().usedSignatures.seen(sig)).toBe(true);
    expect(s.reopen().usedSignatures.claim(sig, 3_000, 2_000)).toBe(true);
  });
});
