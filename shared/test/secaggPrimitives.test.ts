import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesEqual, decodeFields, encodeFields, toHex } from '../src/secagg/bytes.ts';
import { deriveEncKey, deriveMaskKey } from '../src/secagg/kdf.ts';
import { detectX25519, expandPrg, prg, tweetnaclX25519, webCryptoX25519, wordsFromLeBytes, wordsToLeBytes } from '../src/secagg/index.ts';
import { recoverSecret, shareSecret } from '../src/secagg/shamir.ts';
import { openShares, sealShares } from '../src/secagg/shareBox.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('PRG: AES-256-CTR, zero counter block, little-endian words', () => {
  it('matches the pinned vector computed once with node:crypto aes-256-ctr', async () => {
    const words = await prg(KEY, 4);
    // createCipheriv('aes-256-ctr', 00..1f, zero IV).update(zeros(16))
    expect(toHex(wordsToLeBytes(words))).toBe('f29000b62a499fd0a9f39a6add2e7780');
    expect(words[0]).toBe(0xb60090f2);
  });

  it('matches node:crypto over many blocks (full 128-bit counter, no reset)', async () => {
    const words = 40_000;
    const ours = wordsToLeBytes(await prg(KEY, words));
    const cipher = createCipheriv('aes-256-ctr', KEY, Buffer.alloc(16));
    const reference = cipher.update(Buffer.alloc(words * 4));
    expect(Buffer.from(ours).equals(reference)).toBe(true);
  });

  it('is deterministic per key and differs across keys', async () => {
    const a = await prg(KEY, 64);
    const b = await prg(KEY, 64);
    const other = KEY.slice();
    other[31] = 0xff;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(await prg(other, 64))).not.toEqual(Array.from(a));
  });

  it('little-endian word conversion round-trips, also from unaligned views', () => {
    const bytes = Uint8Array.from({ length: 13 }, (_, i) => i + 1);
    const words = wordsFromLeBytes(bytes.subarray(1, 9));
    expect(Array.from(words)).toEqual([0x05040302, 0x09080706]);
    expect(Array.from(wordsToLeBytes(words))).toEqual(Array.from(bytes.subarray(1, 9)));
  });
});

describe('X25519: WebCrypto and tweetnacl give identical bytes', () => {
  // RFC 7748 §6.1
  const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bob = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const bobPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  for (const backend of [webCryptoX25519(), tweetnaclX25519()]) {
    it(`${backend.name}: RFC 7748 test vector`, async () => {
      const a = await backend.fromSecretKey(alice);
      const b = await backend.fromSecretKey(bob);
      expect(toHex(a.publicKey)).toBe(alicePub);
      expect(toHex(b.publicKey)).toBe(bobPub);
      expect(toHex(await backend.sharedSecret(a, b.publicKey))).toBe(shared);
      expect(toHex(await backend.sharedSecret(b, a.publicKey))).toBe(shared);
    });
  }

  it('fresh keys agree across backends, and so do the derived HKDF keys', async () => {
    const web = webCryptoX25519();
    const nacl = tweetnaclX25519();
    for (let i = 0; i < 5; i++) {
      const a = await web.generateKeyPair(true);
      const b = await nacl.generateKeyPair(true);
      const aAsNacl = await nacl.fromSecretKey(a.secretKey!);
      expect(bytesEqual(aAsNacl.publicKey, a.publicKey)).toBe(true);
      const s1 = await web.sharedSecret(a, b.publicKey);
      const s2 = await nacl.sharedSecret(b, a.publicKey);
      const s3 = await nacl.sharedSecret(aAsNacl, b.publicKey);
      expect(toHex(s1)).toBe(toHex(s2));
      expect(toHex(s1)).toBe(toHex(s3));
      const e1 = deriveEncKey(s1, 'r1', 'alice', 'bob');
      const e2 = deriveEncKey(s2, 'r1', 'bob', 'alice');
      expect(toHex(e1)).toBe(toHex(e2));
      const m1 = await expandPrg(await deriveMaskKey(s1, 'r1', 'alice', 'bob'), 16);
      const m2 = await expandPrg(await deriveMaskKey(s2, 'r1', 'bob', 'alice'), 16);
      expect(Array.from(m1)).toEqual(Array.from(m2));
    }
  });

  it('mask and encryption keys are separated by label, round and pair', async () => {
    const web = webCryptoX25519();
    const a = await web.generateKeyPair(true);
    const b = await web.generateKeyPair(true);
    const base = await web.sharedSecret(a, b.publicKey);
    const enc = toHex(deriveEncKey(base, 'r1', 'a', 'b'));
    expect(toHex(deriveEncKey(base, 'r2', 'a', 'b'))).not.toBe(enc);
    expect(toHex(deriveEncKey(base, 'r1', 'a', 'c'))).not.toBe(enc);
    const maskWords = wordsToLeBytes(await expandPrg(await deriveMaskKey(base, 'r1', 'a', 'b'), 8));
    const encAsPrg = wordsToLeBytes(await prg(hex(enc), 8));
    expect(toHex(maskWords)).not.toBe(toHex(encAsPrg));
  });

  it('low-order public keys are refused with WEAK_KEY on both backends', async () => {
    const lowOrder = [new Uint8Array(32), hex('0100000000000000000000000000000000000000000000000000000000000000'), hex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')];
    for (const backend of [webCryptoX25519(), tweetnaclX25519()]) {
      const own = await backend.generateKeyPair(false);
      for (const point of lowOrder) {
        await expect(backend.sharedSecret(own, point)).rejects.toMatchObject({ code: 'WEAK_KEY' });
      }
    }
  });

  it('detection picks WebCrypto on Node 20+', async () => {
    expect((await detectX25519()).name).toBe('webcrypto');
  });
});

describe('Shamir wrapper and share encryption', () => {
  it('any t of k shares recover the secret, also when shares arrive as Node Buffers', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const holders = Array.from({ length: 9 }, (_, i) => `h${i}`);
    const shares = await shareSecret(secret, holders, 6);
    const all = holders.map((h) => shares.get(h)!);
    expect(toHex(await recoverSecret(all.slice(3), 6))).toBe(toHex(secret));
    expect(toHex(await recoverSecret(all.slice(0, 6).map((s) => Buffer.from(s)), 6))).toBe(toHex(secret));
    await expect(recoverSecret(all.slice(0, 5), 6)).rejects.toMatchObject({ code: 'INSUFFICIENT_SHARES' });
    expect(toHex(await recoverSecret(all.slice(0, 5), 5))).not.toBe(toHex(secret));
  });

  it('sealed shares open only under the right key and untouched', () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const payload = {
      roundId: 'r',
      from: 'u',
      to: 'v',
      selfMaskShare: crypto.getRandomValues(new Uint8Array(33)),
      maskKeyShare: crypto.getRandomValues(new Uint8Array(33)),
    };
    const { nonce, box } = sealShares(key, payload);
    const opened = openShares(key, nonce, box);
    expect(opened.roundId).toBe('r');
    expect(toHex(opened.maskKeyShare)).toBe(toHex(payload.maskKeyShare));
    const other = key.slice();
    other[0] = other[0]! ^ 1;
    expect(() => openShares(other, nonce, box)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
    const again = sealShares(key, payload);
    expect(toHex(again.nonce)).not.toBe(toHex(nonce));
    expect(toHex(again.box)).not.toBe(toHex(box));
  });

  it('field encoding is unambiguous', () => {
    const enc = encodeFields(['ab', 'c', new Uint8Array([1, 2])]);
    expect(toHex(enc)).not.toBe(toHex(encodeFields(['a', 'bc', new Uint8Array([1, 2])])));
    expect(decodeFields(enc, 3)?.map(toHex)).toEqual(['6162', '63', '0102']);
    expect(decodeFields(enc, 2)).toBeNull();
    expect(decodeFields(enc.subarray(0, enc.length - 1), 3)).toBeNull();
  });
});
