import { describe, expect, it } from 'vitest';
import { encodeFields, toHex, utf8, type Bytes } from '../src/secagg/bytes.ts';
import { selfMaskCommitment, shareCommitment } from '../src/secagg/commitment.ts';
import { ENC_INFO, MASK_INFO, deriveEncKey, deriveMaskKey } from '../src/secagg/kdf.ts';
import { expandPrg } from '../src/secagg/prg.ts';

/**
 * The plain-JS hashing and HKDF in the SecAgg hot paths must give exactly the bytes WebCrypto gives (what the protocol
 * computed before they replaced it), or old and new clients would derive different masks and keys.
 */
const random = (n: number): Bytes => crypto.getRandomValues(new Uint8Array(n));

async function webCryptoHkdf(secret: Bytes, roundId: string, info: Bytes): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits', 'deriveKey']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: utf8(roundId), info }, base, 256));
}

describe('SecAgg fast paths equal WebCrypto byte for byte', () => {
  it('pairwise encryption keys equal WebCrypto HKDF-SHA256 deriveBits, for either order of the pair', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = random(32);
      const roundId = `round-${i}-${toHex(random(4))}`;
      const expected = toHex(await webCryptoHkdf(secret, roundId, encodeFields([ENC_INFO, 'alice', 'bob'])));
      expect(toHex(deriveEncKey(secret, roundId, 'alice', 'bob'))).toBe(expected);
      expect(toHex(deriveEncKey(secret, roundId, 'bob', 'alice'))).toBe(expected);
    }
  });

  it('pairwise mask keys expand to the same PRG stream as WebCrypto HKDF deriveKey to AES-256-CTR', async () => {
    for (let i = 0; i < 10; i++) {
      const secret = random(32);
      const roundId = `r${i}`;
      const base = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
      const params = { name: 'HKDF', hash: 'SHA-256', salt: utf8(roundId), info: encodeFields([MASK_INFO, 'c-01', 'c-02']) };
      const reference = await crypto.subtle.deriveKey(params, base, { name: 'AES-CTR', length: 256 }, false, ['encrypt']);
      const ours = await deriveMaskKey(secret, roundId, 'c-02', 'c-01');
      expect(Array.from(await expandPrg(ours, 64))).toEqual(Array.from(await expandPrg(reference, 64)));
    }
  });

  it('share and self-mask commitments equal WebCrypto SHA-256 of the same fields', async () => {
    for (let i = 0; i < 20; i++) {
      const share = random(33);
      const seed = random(32);
      const digest = async (fields: (string | Uint8Array)[]) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', encodeFields(fields))));
      expect(toHex(shareCommitment('r1', 'a', 'b', 'b', share))).toBe(await digest(['huddle/secagg/share-commitment/v1', 'r1', 'a', 'b', 'b', share]));
      expect(toHex(selfMaskCommitment('r1', 'a', seed))).toBe(await digest(['huddle/secagg/self-mask-commitment/v1', 'r1', 'a', seed]));
    }
  });

  it('encodeFields writes ASCII by hand and everything else through TextEncoder, with the same bytes', () => {
    const reference = (fields: (string | Uint8Array)[]) => {
      const raw = fields.map((f) => (typeof f === 'string' ? new TextEncoder().encode(f) : f));
      const out: number[] = [];
      for (const r of raw) out.push(r.length >>> 24, (r.length >>> 16) & 255, (r.length >>> 8) & 255, r.length & 255, ...r);
      return toHex(Uint8Array.from(out));
    };
    const cases: (string | Uint8Array)[][] = [
      [],
      [''],
      ['huddle/secagg/mask', 'bench-0001', 'c:2.x_y-z'],
      ['caf\u00e9', '\u{1f3c3}', 'a\ud800b', '\x7f\x80'],
      ['x'.repeat(70_000), random(5), '', new Uint8Array(0)],
    ];
    for (const fields of cases) expect(toHex(encodeFields(fields))).toBe(reference(fields));
  });

  it('refuses a shared secret that is not 32 bytes', () => {
    expect(() => deriveEncKey(new Uint8Array(31), 'r', 'a', 'b')).toThrow(RangeError);
  });
});
