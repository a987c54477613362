import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { ed25519PublicKey, ed25519Signer, verifyEd25519 } from '../src/auth/ed25519.ts';

/** Group order L of Ed25519, little-endian, to build a malleated signature (S + L). */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le = (b: Uint8Array) => b.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
const toLe = (n: bigint, len: number) => Uint8Array.from({ length: len }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

describe('native Ed25519 (node:crypto) against tweetnacl', () => {
  it('signs byte for byte as tweetnacl does, and each verifies the other', () => {
    for (let i = 0; i < 12; i++) {
      const seed = nacl.randomBytes(32);
      const keys = nacl.sign.keyPair.fromSeed(seed);
      const message = nacl.randomBytes(i * 997);
      const theirs = nacl.sign.detached(message, keys.secretKey);
      const ours = ed25519Signer(seed)(message);
      expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
      expect(Buffer.from(ed25519PublicKey(seed)).equals(Buffer.from(keys.publicKey))).toBe(true);
      expect(verifyEd25519(keys.publicKey, message, theirs)).toBe(true);
      expect(nacl.sign.detached.verify(message, ours, keys.publicKey)).toBe(true);
    }
  });

  it('accepts a 64-byte tweetnacl secret key as the seed', () => {
    const keys = nacl.sign.keyPair();
    const message = new TextEncoder().encode('hello');
    expect(Buffer.from(ed25519Signer(keys.secretKey)(message)).equals(Buffer.from(nacl.sign.detached(message, keys.secretKey)))).toBe(true);
  });

  it('refuses what tweetnacl refuses: a flipped bit anywhere, another key, wrong lengths', () => {
    const keys = nacl.sign.keyPair();
    const other = nacl.sign.keyPair();
    const message = nacl.randomBytes(300);
    const sig = nacl.sign.detached(message, keys.secretKey);
    for (let bit = 0; bit < 64 * 8; bit += 37) {
      const bad = sig.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyEd25519(keys.publicKey, message, bad)).toBe(nacl.sign.detached.verify(message, bad, keys.publicKey));
      expect(verifyEd25519(keys.publicKey, message, bad)).toBe(false);
    }
    const changed = message.slice();
    changed[0]! ^= 0x80;
    expect(verifyEd25519(keys.publicKey, changed, sig)).toBe(false);
    expect(verifyEd25519(other.publicKey, message, sig)).toBe(false);
    expect(verifyEd25519(keys.publicKey.slice(0, 31), message, sig)).toBe(false);
    expect(verifyEd25519(keys.publicKey, message, sig.slice(0, 63))).toBe(false);
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), message, sig)).toBe(false);
  });

  it('is stricter than tweetnacl on one point: a malleated signature (S + L) is refused', () => {
    const keys = nacl.sign.keyPair();
    const message = new TextEncoder().encode('malleable?');
    const sig = nacl.sign.detached(message, keys.secretKey);
    const s = le(sig.subarray(32)) + L;
    expect(s < 2n ** 256n).toBe(true);
    const malleated = new Uint8Array([...sig.subarray(0, 32), ...toLe(s, 32)]);
    expect(nacl.sign.detached.verify(message, malleated, keys.publicKey)).toBe(true);
    expect(verifyEd25519(keys.publicKey, message, malleated)).toBe(false);
  });
});
