import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialForToken, ensureAdminCredential, issueCredential } from '../src/auth/credentials.ts';
import { enroll } from '../src/auth/enrollment.ts';
import { inviteCodeHash, newInviteCode, normalizeInviteCode } from '../src/auth/inviteCode.ts';
import { createInvite } from '../src/auth/invites.ts';
import { storeRoleChecker } from '../src/auth/roles.ts';
import { decodeBase64, redact, sha256 } from '../src/auth/secrets.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { tempDir } from './helpers/tempDir.ts';

describe('invite codes', () => {
  const SYMBOL = '[0-9A-HJKMNP-TV-Z]';
  it('are 20 Crockford base32 symbols (100 bits) shown as XXXXX-XXXXX-XXXXX-XXXXX, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, newInviteCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(new RegExp(`^${SYMBOL}{5}-${SYMBOL}{5}-${SYMBOL}{5}-${SYMBOL}{5}$`));
  });

  it('forgive case, spacing, dashes and look-alike letters', () => {
    expect(normalizeInviteCode('ab1cd-ef0gh-jkmnp-qrstv')).toBe('AB1CDEF0GHJKMNPQRSTV');
    expect(normalizeInviteCode(' abLcd efOgh jkmnp qrstv ')).toBe('AB1CDEF0GHJKMNPQRSTV');
    expect(normalizeInviteCode('ABCDE')).toBeNull();
    expect(normalizeInviteCode('ABCDE-FGHJK-MNPQR-STVWU')).toBeNull();
    expect(normalizeInviteCode('ABCDE-FGHJK-MNPQR-STVW')).toBeNull();
    // Codes issued before 100-bit codes stay redeemable.
    expect(normalizeInviteCode('abIcdefogh')).toBe('AB1CDEF0GH');
  });

  it('are stored only as an HMAC under a key of this coordinator', () => {
    const tmp = tempDir();
    const other = tempDir();
    const store = SqliteStore.inDirectory(tmp.dir);
    const elsewhere = SqliteStore.inDirectory(other.dir);
    try {
      const invite = createInvite(store, { tasks: ['injury'], expiresInHours: 1, note: null });
      const canonical = normalizeInviteCode(invite.code)!;
      const key = store.invites.codeKey();
      expect(key).toHaveLength(32);
      expect(store.invites.codeKey()).toEqual(key);
      expect(store.invites.byCodeHash(inviteCodeHash(canonical, key))?.id).toBe(invite.id);
      // Neither the plain hash of the code nor the HMAC under another coordinator's key finds it.
      expect(store.invites.byCodeHash(sha256(`huddle/invite/v2:${canonical}`))).toBeNull();
      expect(store.invites.byCodeHash(inviteCodeHash(canonical, elsewhere.invites.codeKey()))).toBeNull();
      const raw = (store as unknown as { db: { prepare(s: string): { all(): unknown[] } } }).db.prepare('SELECT * FROM invites').all();
      expect(JSON.stringify(raw)).not.toContain(canonical);
    } finally {
      store.close();
      elsewhere.close();
      tmp.remove();
      other.remove();
    }
  });

  it('a pending 10-symbol invite from before the upgrade can still be redeemed', () => {
    const tmp = tempDir();
    const store = SqliteStore.inDirectory(tmp.dir);
    try {
      const legacy = 'ABCDE0FGHJ';
      store.invites.insert({ id: 'inv_legacy', tasks: ['injury'], note: null, createdAt: Date.now(), expiresAt: Date.now() + 60_000, usedAt: null, revokedAt: null }, sha256(`huddle/invite/v1:${legacy}`));
      const outcome = enroll(store, 'abcde-0fghj', nacl.sign.keyPair().publicKey);
      expect(outcome.ok).toBe(true);
    } finally {
      store.close();
      tmp.remove();
    }
  });
});

describe('credentials', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  beforeEach(() => {
    tmp = tempDir();
    store = SqliteStore.inDirectory(tmp.dir);
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it('creates the admin credential once and stores only its hash', () => {
    const token = ensureAdminCredential(store);
    expect(token).toMatch(/^hdl_[A-Za-z0-9_-]{43}$/);
    expect(ensureAdminCredential(store)).toBeNull();
    store.close();
    store = SqliteStore.inDirectory(tmp.dir);
    expect(ensureAdminCredential(store)).toBeNull();
    expect(credentialForToken(store, token!)?.role).toBe('admin');
    expect(store.credentials.byTokenHash(sha256(token!))?.role).toBe('admin');
    const raw = (store as unknown as { db: { prepare(s: string): { all(): unknown[] } } }).db.prepare('SELECT * FROM credentials').all();
    expect(JSON.stringify(raw)).not.toContain(token!.slice(4));
  });

  it('checks roles: admin covers analyst, not the other way round; revoked tokens stop working', () => {
    const admin = ensureAdminCredential(store)!;
    const analyst = issueCredential(store, 'analyst', null);
    const check = storeRoleChecker(store);
    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    expect(check(bearer(admin), 'analyst').ok).toBe(true);
    expect(check(bearer(analyst.token), 'analyst').ok).toBe(true);
    expect(check(bearer(analyst.token), 'admin')).toMatchObject({ ok: false, status: 403 });
    expect(check({}, 'analyst')).toMatchObject({ ok: false, status: 401 });
    expect(check(bearer('hdl_not-a-real-token-at-all'), 'analyst')).toMatchObject({ ok: false, status: 401 });
    store.credentials.revoke(analyst.id, Date.now());
    expect(check(bearer(analyst.token), 'analyst')).toMatchObject({ ok: false, status: 401 });
  });

  it('never shows a whole secret in a redacted form', () => {
    const token = ensureAdminCredential(store)!;
    expect(redact(token).length).toBeLessThan(10);
    expect(redact('short')).toBe('…');
  });
});

describe('enrollment', () => {
  it('is atomic: a failure after the invite was claimed leaves it usable', () => {
    const tmp = tempDir();
    const store = SqliteStore.inDirectory(tmp.dir);
    try {
      const invite = createInvite(store, { tasks: ['injury'], expiresInHours: 1, note: null });
      const db = (store as unknown as { db: { exec(s: string): void } }).db;
      db.exec("CREATE TEMP TRIGGER crash BEFORE INSERT ON enrollments BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
      expect(() => enroll(store, invite.code, nacl.sign.keyPair().publicKey)).toThrow(/simulated crash/);
      db.exec('DROP TRIGGER crash');
      expect(store.invites.byId(invite.id)?.usedAt).toBeNull();
      expect(enroll(store, invite.code, nacl.sign.keyPair().publicKey).ok).toBe(true);
    } finally {
      store.close();
      tmp.remove();
    }
  });
});

describe('decodeBase64', () => {
  it('accepts standard and url alphabets of the exact length only', () => {
    const key = nacl.sign.keyPair().publicKey;
    expect(decodeBase64(Buffer.from(key).toString('base64'), 32)).toEqual(key);
    expect(decodeBase64(Buffer.from(key).toString('base64url'), 32)).toEqual(key);
    expect(decodeBase64(Buffer.from(key.slice(0, 31)).toString('base64'), 32)).toBeNull();
    expect(decodeBase64('not base64!', 32)).toBeNull();
    expect(decodeBase64(42, 32)).toBeNull();
  });
});
