import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToFloats, base64UrlToBytes, bytesToBase64, bytesToBase64Url, floatsToBase64 } from '../src/util/base64.ts';

describe('base64 (the one codec, browser and Node alike)', () => {
  it('matches RFC 4648 vectors, standard and url-safe without padding', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0x66, 0x6f]);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect([...base64UrlToBytes('-_8')]).toEqual([0xfb, 0xff]);
  });

  it('round-trips inputs longer than one 32 kB chunk, and float32 values bit for bit', () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131) & 0xff);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64UrlToBytes(bytesToBase64Url(bytes))).toEqual(bytes);
    const floats = Float32Array.from([0, -0, 1.5, -3.25e-20, Number.MAX_VALUE, Number.NaN]);
    expect(new Uint8Array(base64ToFloats(floatsToBase64(floats)).buffer)).toEqual(new Uint8Array(floats.buffer));
  });
});
