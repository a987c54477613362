import nacl from 'tweetnacl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helloSigningBytes as sharedHelloBytes, messageSigningBytes as sharedMessageBytes } from '@huddle/shared/protocol';
import { helloSigningBytes, messageSigningBytes, sealMessage, signHello } from '@huddle/shared/protocol';
import { EnrollmentVerifier, explainRefusal } from '../src/auth/clientVerifier.ts';
import { ed25519KeyImports, sha256Native } from '../src/auth/ed25519.ts';
import type { ClientAuthenticator } from '../src/engine/authenticator.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { enrollDevice, type EnrolledDevice } from './helpers/enrolled.ts';
import { tempDir } from './helpers/tempDir.ts';

const nonce = () => nacl.randomBytes(32);
const body = (text: string) => new TextEncoder().encode(text);

/** The task list the hellos below join with. */
const T = ['injury'];

describe('EnrollmentVerifier', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteStore;
  let verifier: EnrollmentVerifier;
  let alice: EnrolledDevice;
  let bob: EnrolledDevice;

  beforeEach(() => {
    tmp = tempDir();
    store = SqliteStore.inDirectory(tmp.dir);
    verifier = new EnrollmentVerifier(store);
    alice = enrollDevice(store, ['injury']);
    bob = enrollDevice(store);
  });
  afterEach(() => {
    store.close();
    tmp.remove();
  });

  it("plugs into the engine's ClientAuthenticator seam", () => {
    const seam: ClientAuthenticator = verifier;
    expect(seam.isActive(alice.clientId)).toBe(true);
  });

  describe('hello', () => {
    it('keeps the key a hello imported by default, and does not with keepHelloKeys: false (a cluster leader)', () => {
      const hello = (v: EnrollmentVerifier, who: EnrolledDevice) => {
        const n = nonce();
        expect(v.verifyHello(who.clientId, n, signHello(who.keys.secretKey, n, who.clientId, T), T).ok).toBe(true);
      };
      const leader = new EnrollmentVerifier(store, { keepHelloKeys: false });
      const before = ed25519KeyImports();
      hello(leader, alice);
      hello(leader, alice);
      expect(ed25519KeyImports()).toBe(before + 2);
      hello(verifier, alice);
      hello(verifier, alice);
      expect(ed25519KeyImports()).toBe(before + 3);
      // Kept now: the leader finds it too.
      hello(leader, alice);
      expect(ed25519KeyImports()).toBe(before + 3);
    });

    it('refuses a hello whose task list was changed after signing', () => {
      const n = nonce();
      const signature = signHello(alice.keys.secretKey, n, alice.clientId, ['injury']);
      expect(verifier.verifyHello(alice.clientId, n, signature, ['injury']).ok).toBe(true);
      expect(verifier.verifyHello(alice.clientId, n, signature, [])).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifier.verifyHello(alice.clientId, n, signature, ['injury', 'readiness'])).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('accepts a hello signed by the enrolled key over this connection\'s nonce', () => {
      const n = nonce();
      const check = verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, n, alice.clientId, T), T);
      expect(check).toEqual({ ok: true, publicKey: alice.keys.publicKey, tasks: ['injury'], allowedTasks: ['injury'] });
    });

    it('refuses a hello signed over a different nonce (a replay from another connection)', () => {
      const n = nonce();
      expect(verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, nonce(), alice.clientId, T), T)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it("refuses a hello claiming one client's id but signed with another's key", () => {
      const n = nonce();
      expect(verifier.verifyHello(alice.clientId, n, signHello(bob.keys.secretKey, n, alice.clientId, T), T)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it("refuses a hello whose signature covers another client id", () => {
      const n = nonce();
      expect(verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, n, bob.clientId, T), T)).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses unknown clients, missing or truncated signatures and short nonces', () => {
      const n = nonce();
      expect(verifier.verifyHello('cl_nobody', n, signHello(alice.keys.secretKey, n, 'cl_nobody', T), T)).toEqual({ ok: false, reason: 'unknown-client' });
      expect(verifier.verifyHello(alice.clientId, n, undefined, T)).toEqual({ ok: false, reason: 'missing-signature' });
      expect(verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, n, alice.clientId, T).slice(0, 63), T)).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifier.verifyHello(alice.clientId, n.slice(0, 16), signHello(alice.keys.secretKey, n.slice(0, 16), alice.clientId, T), T)).toEqual({ ok: false, reason: 'bad-nonce' });
    });

    it('refuses a revoked client and reports it inactive', () => {
      store.enrollments.revoke(alice.clientId, Date.now());
      const n = nonce();
      expect(verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, n, alice.clientId, T), T)).toEqual({ ok: false, reason: 'revoked' });
      expect(verifier.isActive(alice.clientId)).toBe(false);
      expect(verifier.isActive(bob.clientId)).toBe(true);
    });

    it('treats an erased enrollment as unknown', () => {
      store.enrollments.erase(alice.clientId);
      const n = nonce();
      expect(verifier.verifyHello(alice.clientId, n, signHello(alice.keys.secretKey, n, alice.clientId, T), T)).toEqual({ ok: false, reason: 'unknown-client' });
      expect(verifier.isActive(alice.clientId)).toBe(false);
    });
  });

  describe('messages', () => {
    const stateFor = (device: EnrolledDevice, n: Uint8Array, lastSeq = 1) => ({ publicKey: device.keys.publicKey, nonce: n, lastSeq });

    it('accepts sealed messages with increasing seq (gaps allowed)', () => {
      const n = nonce();
      expect(verifier.verifyMessage(stateFor(alice, n), sealMessage(alice.keys.secretKey, n, 2, body('a')))).toEqual({ ok: true, body: body('a'), seq: 2 });
      expect(verifier.verifyMessage(stateFor(alice, n, 2), sealMessage(alice.keys.secretKey, n, 7, body('b')))).toMatchObject({ ok: true, seq: 7 });
    });

    it('refuses a replayed or reordered seq', () => {
      const n = nonce();
      const sealed = sealMessage(alice.keys.secretKey, n, 3, body('fit'));
      expect(verifier.verifyMessage(stateFor(alice, n, 3), sealed)).toEqual({ ok: false, reason: 'replayed' });
      expect(verifier.verifyMessage(stateFor(alice, n, 5), sealed)).toEqual({ ok: false, reason: 'replayed' });
      expect(verifier.verifyMessage(stateFor(alice, n, 0), sealMessage(alice.keys.secretKey, n, 0, body('x')))).toEqual({ ok: false, reason: 'replayed' });
    });

    it("refuses a message signed by another client's key", () => {
      const n = nonce();
      expect(verifier.verifyMessage(stateFor(alice, n), sealMessage(bob.keys.secretKey, n, 2, body('fit')))).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses a message sealed for another connection, a tampered body, a moved seq or no signature', () => {
      const n = nonce();
      expect(verifier.verifyMessage(stateFor(alice, n), sealMessage(alice.keys.secretKey, nonce(), 2, body('fit')))).toEqual({ ok: false, reason: 'bad-signature' });
      const sealed = sealMessage(alice.keys.secretKey, n, 2, body('fit'));
      expect(verifier.verifyMessage(stateFor(alice, n), { ...sealed, body: body('fix') })).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifier.verifyMessage(stateFor(alice, n), { ...sealed, seq: 3 })).toEqual({ ok: false, reason: 'bad-signature' });
      expect(verifier.verifyMessage(stateFor(alice, n), { body: body('fit'), seq: 2 })).toEqual({ ok: false, reason: 'missing-signature' });
    });

    it('refuses messages on a connection without a verified hello', () => {
      expect(verifier.verifyMessage({ publicKey: null, nonce: nonce(), lastSeq: 0 }, { body: body('x'), seq: 1 })).toEqual({ ok: false, reason: 'not-authenticated' });
    });

    it('explains every refusal in words', () => {
      expect(explainRefusal('replayed')).toMatch(/sequence/);
    });
  });

  describe('signing bytes', () => {
    it("digest the body with node:crypto's SHA-256 exactly as shared's plain-JS one", () => {
      const n = nonce();
      const big = new Uint8Array(40_000).map((_, i) => (i * 31) & 0xff);
      expect(helloSigningBytes(n, 'cl_x', T)).toEqual(sharedHelloBytes(n, 'cl_x', T));
      expect(messageSigningBytes(n, 2 ** 40 + 3, body('b'), sha256Native)).toEqual(sharedMessageBytes(n, 2 ** 40 + 3, body('b')));
      expect(messageSigningBytes(n, 5, big, sha256Native)).toEqual(sharedMessageBytes(n, 5, big));
    });

    it("lay out context, nonce, big-endian seq and the body's SHA-256", () => {
      const n = new Uint8Array(32).fill(7);
      const bytes = messageSigningBytes(n, 258, new TextEncoder().encode('abc'));
      const context = 'huddle/msg/v2'.length;
      expect(bytes.length).toBe(context + 32 + 8 + 32);
      expect(new TextDecoder().decode(bytes.slice(0, context))).toBe('huddle/msg/v2');
      expect(bytes.slice(context, context + 32)).toEqual(n);
      expect(Array.from(bytes.slice(context + 32, context + 40))).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
      // FIPS 180-2's test vector: SHA-256("abc").
      expect(Buffer.from(bytes.slice(context + 40)).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });
  });
});
