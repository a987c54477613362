import { describe, expect, it } from 'vitest';
import {
  NeighbourGraph,
  SecAggError,
  defaultThreshold,
  resolveParams,
  suggestedNeighbours,
  validateParams,
  type GraphMember,
} from '../src/secagg/index.ts';
import { clientIds } from './secaggHarness.ts';

const members = (n: number): GraphMember[] =>
  clientIds(n).map((clientId) => ({
    clientId,
    encPublicKey: crypto.getRandomValues(new Uint8Array(32)),
    maskPublicKey: crypto.getRandomValues(new Uint8Array(32)),
  }));

async function checkRegular(n: number, k: number) {
  const m = members(n);
  const g = await NeighbourGraph.build('round', m, k);
  for (const { clientId: u } of m) {
    const nb = g.neighbours(u);
    expect(nb).toHaveLength(k);
    expect(new Set(nb).size).toBe(k);
    expect(nb).not.toContain(u);
    expect([...nb].sort()).toEqual(nb);
    for (const v of nb) {
      expect(g.neighbours(v)).toContain(u);
      expect(g.areNeighbours(u, v)).toBe(true);
    }
  }
  let edges = 0;
  for (const a of m) for (const b of m) if (g.areNeighbours(a.clientId, b.clientId)) edges++;
  expect(edges).toBe(n * k);
  return { m, g };
}

describe('neighbour graph', () => {
  it('is k-regular and symmetric for even k, odd k with even n, and the complete graph', async () => {
    await checkRegular(40, 8);
    await checkRegular(40, 7);
    await checkRegular(17, 16);
    await checkRegular(18, 17);
    await checkRegular(1000, 20);
  });

  it('is the same for anyone holding the roster, whatever its order, and changes with round and keys', async () => {
    const m = members(30);
    const a = await NeighbourGraph.build('r1', m, 6);
    const b = await NeighbourGraph.build('r1', [...m].reverse(), 6);
    const ids = m.map((p) => p.clientId);
    for (const id of ids) expect(b.neighbours(id)).toEqual(a.neighbours(id));
    const c = await NeighbourGraph.build('r2', m, 6);
    const d = await NeighbourGraph.build('r1', [{ ...m[0]!, maskPublicKey: new Uint8Array(32).fill(9) }, ...m.slice(1)], 6);
    expect(ids.some((id) => c.neighbours(id).join() !== a.neighbours(id).join())).toBe(true);
    expect(ids.some((id) => d.neighbours(id).join() !== a.neighbours(id).join())).toBe(true);
  });

  it('looks random: neighbourhoods are not the id order', async () => {
    const { g } = await checkRegular(200, 10);
    const idx = (id: string) => Number(id.slice(-4));
    let adjacentInIdOrder = 0;
    for (const u of clientIds(200)) for (const v of g.neighbours(u)) if (Math.abs(idx(u) - idx(v)) <= 5) adjacentInIdOrder++;
    // A random 10-regular graph on 200 vertices has about 200 * 10 * 10/199 ~ 100 such ordered pairs; the unpermuted ring 2000.
    expect(adjacentInIdOrder).toBeLessThan(400);
  });
});

describe('parameters', () => {
  it('defaults: complete graph, t = floor(2k/3) + 1, and a sparse suggestion of 2 log2 n', () => {
    expect(resolveParams(100, { vectorLength: 10 })).toEqual({ neighbours: 99, threshold: 67, vectorLength: 10 });
    expect(resolveParams(1000, { vectorLength: 10, neighbours: suggestedNeighbours(1000) })).toEqual({
      neighbours: 20,
      threshold: 14,
      vectorLength: 10,
    });
    expect(resolveParams(5, { vectorLength: 1, neighbours: 50 }).neighbours).toBe(4);
    expect(resolveParams(41, { vectorLength: 1, neighbours: 7 }).neighbours).toBe(8);
    expect(resolveParams(40, { vectorLength: 1, neighbours: 8, threshold: (k) => k / 2 + 1 }).threshold).toBe(5);
    for (let k = 2; k <= 255; k++) {
      const t = defaultThreshold(k);
      expect(2 * t).toBeGreaterThan(k);
      expect(t).toBeLessThanOrEqual(k);
    }
  });

  it('rejects insecure or impossible parameters', () => {
    const bad = (n: number, neighbours: number, threshold: number, vectorLength = 4) =>
      expect(() => validateParams(n, { neighbours, threshold, vectorLength })).toThrow(SecAggError);
    bad(2, 1, 2);
    bad(10, 9, 4); // t <= k/2
    bad(10, 9, 10); // t > k
    bad(10, 10, 8); // k > n - 1
    bad(11, 3, 2); // n * k odd
    bad(300, 299, 250); // beyond GF(2^8) Shamir
    bad(10, 9, 7, 0);
    expect(() => resolveParams(300, { vectorLength: 1 })).toThrow(/sparse/);
  });
});
