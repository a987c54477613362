import { describe, expect, it } from 'vitest';
import { helloSigningBytes } from '@huddle/shared/protocol';
import { verifyEd25519 } from '../../coordinator/src/auth/ed25519.ts';
import { loadClientAddress, loadClientId, loadClientPublicKey, loadClientSigner } from '../src/bench/loadIdentity.ts';

// The load bench enrolls client i with loadClientPublicKey(i) and its process signs with loadClientSigner(i):
// they must agree, and the addresses must stay under an enrolled node's cap of 20 connections per address.
describe('load bench identities', () => {
  it("client i's signer signs for the key the bench enrolls, and for no other client's", () => {
    const nonce = new Uint8Array(32).fill(9);
    for (const i of [0, 1, 4_999, 9_999]) {
      const message = helloSigningBytes(nonce, loadClientId(i), ['injury']);
      const sig = loadClientSigner(i)(message);
      expect(verifyEd25519(loadClientPublicKey(i), message, sig)).toBe(true);
      expect(verifyEd25519(loadClientPublicKey(i + 1), message, sig)).toBe(false);
    }
    expect(loadClientId(0)).toBe('load-00001');
  });

  it('puts at most 16 of 10,000 clients on one loopback address, all of them in 127.1/16', () => {
    const perAddress = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const a = loadClientAddress(i);
      expect(a).toMatch(/^127\.1\.\d{1,3}\.\d{1,3}$/);
      perAddress.set(a, (perAddress.get(a) ?? 0) + 1);
    }
    expect(Math.max(...perAddress.values())).toBe(16);
    expect(perAddress.size).toBe(625);
    expect([...perAddress.keys()].every((a) => a.split('.').every((octet) => Number(octet) <= 255 && Number(octet) >= 0) && !a.endsWith('.0'))).toBe(true);
  });
});
