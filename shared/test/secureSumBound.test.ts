import { describe, expect, it } from 'vitest';
import { clipL2 } from '../src/privacy/index.ts';
import { decodeSecureVector, encodeSecureVector, planSecureEncoding, secureSumProblem } from '../src/aggregation/index.ts';
import { Prng } from '../src/random/index.ts';

function sumMod32(vectors: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(vectors[0]!.length);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] = (out[i]! + v[i]!) >>> 0;
  return out;
}

const D = 200;
const CLIP = 1;
const N = 8;

/** N clients' updates clipped to CLIP, each pointing the same way (the largest honest sum). */
function honestUpdates(random: Prng): Float32Array[] {
  const direction = Float32Array.from({ length: D }, () => random.next() - 0.5);
  return Array.from({ length: N }, () => clipL2(direction.map((v) => v * 100), CLIP).clipped);
}

describe('the secure sum is checked against the clip bound plus rounding and noise before it is used', () => {
  for (const noise of ['none', 'distributed'] as const) {
    it(`${noise}: ${N} honest clients at the clip bound pass; one client's oversized vector is refused`, () => {
      const enc = planSecureEncoding({ noise, clip: CLIP, parameters: D, minClients: 3, needsIndividualUpdates: false, updateNoiseMultiplier: noise === 'none' ? null : 1 }, N);
      const random = new Prng(9);
      const updates = honestUpdates(random);
      const vectors = updates.map((u) => encodeSecureVector(u, 100, 0.1, 1, enc, random));
      const honest = decodeSecureVector(sumMod32(vectors), enc, N);
      expect(secureSumProblem(honest, enc, N, CLIP)).toBeNull();
      // A poisoner replaces its input by a multiple of the clip bound (anything in Z/2^32 passes the masks). Under
      // distributed DP the noise's norm (sqrt(8/3) z C (sqrt(d) + 10), about 39 C here) hides anything smaller.
      const factor = noise === 'none' ? 20 : 100;
      const poisoned = encodeSecureVector(updates[0]!.map((v) => v * factor), 100, 0.1, 1, enc, random);
      const bad = decodeSecureVector(sumMod32([poisoned, ...vectors.slice(1)]), enc, N);
      expect(secureSumProblem(bad, enc, N, CLIP)).toMatch(/exceeds what 8 clipped updates can reach/);
    });
  }

  it('refuses a clip-bit count above the survivors and a weight outside [0, n x cap]', () => {
    const enc = planSecureEncoding({ noise: 'none', clip: CLIP, parameters: D, minClients: 3, needsIndividualUpdates: false, updateNoiseMultiplier: null }, N);
    const random = new Prng(2);
    const vectors = honestUpdates(random).map((u) => encodeSecureVector(u, 10, 0.1, 1, enc, random));
    const forgedBits = encodeSecureVector(new Float32Array(D), 10, 0.1, 1, enc, random);
    forgedBits[D + 2] = 1000;
    expect(secureSumProblem(decodeSecureVector(sumMod32([forgedBits, ...vectors.slice(1)]), enc, N), enc, N, CLIP)).toMatch(/clip-bit count 100\d is outside \[0, 8\]/);
    const forgedWeight = encodeSecureVector(new Float32Array(D), 10, 0.1, 1, enc, random);
    forgedWeight[D] = 1_000_000;
    expect(secureSumProblem(decodeSecureVector(sumMod32([forgedWeight, ...vectors.slice(1)]), enc, N), enc, N, CLIP)).toMatch(/summed weight .* is outside/);
  });
});
