import { describe, expect, it } from 'vitest';
import { ByteSlab } from '../src/util/byteSlab.ts';

describe('ByteSlab', () => {
  it('cuts small strings from shared chunks, each an independent copy', () => {
    const slab = new ByteSlab(4096);
    const sources = Array.from({ length: 1000 }, (_, i) => Uint8Array.from({ length: 32 }, (_, k) => (i * 7 + k) & 0xff));
    const copies = sources.map((s) => slab.copy(s));
    expect(new Set(copies.map((c) => c.buffer)).size).toBe(Math.ceil((1000 * 32) / 4096));
    sources.forEach((s) => s.fill(0));
    copies.forEach((c, i) => expect(Array.from(c)).toEqual(Array.from({ length: 32 }, (_, k) => (i * 7 + k) & 0xff)));
    copies[0]!.fill(9);
    expect(copies[1]![0]).toBe((7 + 0) & 0xff);
  });

  it('keeps strings 4-aligned and gives anything longer than a chunk storage of its own', () => {
    const slab = new ByteSlab(64);
    const odd = slab.copy(new Uint8Array(5));
    const next = slab.copy(new Uint8Array(8));
    expect(next.buffer).toBe(odd.buffer);
    expect(next.byteOffset % 4).toBe(0);
    expect(new Float32Array(next.buffer, next.byteOffset, 2)).toHaveLength(2);
    const big = slab.copy(new Uint8Array(65).fill(1));
    expect(big.buffer).not.toBe(odd.buffer);
    expect(big.byteLength).toBe(65);
  });

  it('draws random nonces that differ', () => {
    const slab = new ByteSlab();
    const nonces = Array.from({ length: 200 }, () => Buffer.from(slab.random(32)).toString('hex'));
    expect(new Set(nonces).size).toBe(200);
    expect(nonces.every((n) => n.length === 64)).toBe(true);
  });
});
