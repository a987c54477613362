import { describe, expect, it } from 'vitest';
import { encodeWeights, initialWeights, modelSpec, weightManifest } from '@huddle/shared/model';
import { modelChecksum } from '@huddle/shared/protocol';
import { verifiedWeights } from '../src/receivedWeights.ts';

describe('received weights', () => {
  const spec = modelSpec('injury', 6);
  const manifest = weightManifest(spec);
  const bytes = encodeWeights(initialWeights(spec, 2));
  const checksum = modelChecksum(bytes);

  it('are checked and decoded once per received buffer: clients handed the same bytes share one array', () => {
    const message = new Uint8Array(bytes.length + 5);
    message.set(bytes, 5);
    const a = verifiedWeights(message.subarray(5), checksum, manifest);
    const b = verifiedWeights(message.subarray(5), checksum, manifest);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(Array.from(a!)).toEqual(Array.from(initialWeights(spec, 2)));
    // Other memory with the same content is checked on its own.
    expect(verifiedWeights(bytes.slice(), checksum, manifest)).not.toBe(a);
  });

  it('are a copy of their own: they survive the frame they came in being overwritten (a transport reusing its memory)', () => {
    // Aligned, as a Node Buffer often hands it over: a view over it would need no copy, and would see the overwrite.
    const frame = Buffer.alloc(bytes.length + 16);
    frame.set(bytes, 8);
    const received = verifiedWeights(frame.subarray(8, 8 + bytes.length), checksum, manifest);
    expect(received).not.toBeNull();
    expect(received!.buffer).not.toBe(frame.buffer);
    frame.fill(0);
    expect(Array.from(received!)).toEqual(Array.from(initialWeights(spec, 2)));
    // The same memory handed over again is not hashed again: the weights it matched when hashed come back unchanged.
    expect(Array.from(verifiedWeights(frame.subarray(8, 8 + bytes.length), checksum, manifest)!)).toEqual(Array.from(initialWeights(spec, 2)));
  });

  it('are refused when they do not match the version they were sent as, even after a match on the same bytes', () => {
    const copy = bytes.slice();
    expect(verifiedWeights(copy, checksum, manifest)).not.toBeNull();
    expect(verifiedWeights(copy, 'ffffffffffffffff', manifest)).toBeNull();
    const tampered = bytes.slice();
    tampered[0]! ^= 1;
    expect(verifiedWeights(tampered, checksum, manifest)).toBeNull();
  });
});
