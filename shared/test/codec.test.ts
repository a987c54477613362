import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildTfModel, decodeWeights, encodeWeights, getFlatWeights, initialWeights, modelSpec, parameterCount, setFlatWeights, weightManifest } from '../src/model/index.ts';

function bitsOf(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

describe('weights codec', () => {
  it('round-trips every weight bit for bit, including subnormals, -0 and extremes', () => {
    const spec = modelSpec('injury', 7);
    const manifest = weightManifest(spec);
    const n = parameterCount(manifest);
    const w = new Float32Array(n);
    const raw = new Uint32Array(w.buffer);
    for (let i = 0; i < n; i++) raw[i] = (Math.imul(i + 1, 2654435761) >>> 0) & 0xff7fffff; // finite bit patterns
    w[0] = -0;
    w[1] = 1.4e-45;
    w[2] = 3.4028234663852886e38;
    const back = decodeWeights(encodeWeights(w), manifest);
    expect(Array.from(bitsOf(back))).toEqual(Array.from(bitsOf(w)));
  });

  it('writes little-endian float32 and reads it from any offset of a received buffer', () => {
    expect(Array.from(encodeWeights(new Float32Array([1, -2])))).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
    const manifest = weightManifest(modelSpec('readiness', 4));
    const n = parameterCount(manifest);
    const w = initialWeights(modelSpec('readiness', 4), 5);
    // As msgpack hands it over: a view at an unaligned offset inside a larger message.
    const message = new Uint8Array(n * 4 + 3);
    message.set(encodeWeights(w), 3);
    expect(Array.from(bitsOf(decodeWeights(message.subarray(3), manifest)))).toEqual(Array.from(bitsOf(w)));
    // As Node's socket.io hands it over: a Buffer (whose slice() is a view), at an aligned and an unaligned offset.
    for (const offset of [3, 8]) {
      const frame = Buffer.alloc(n * 4 + offset + 5, 0xff);
      frame.set(encodeWeights(w), offset);
      expect(Array.from(bitsOf(decodeWeights(frame.subarray(offset, offset + n * 4), manifest)))).toEqual(Array.from(bitsOf(w)));
      // A running sum's scratch array takes the unaligned copy; aligned bytes need none.
      const scratch = new Float32Array(n).fill(7);
      const decoded = decodeWeights(frame.subarray(offset, offset + n * 4), manifest, scratch);
      expect(decoded === scratch).toBe(offset % 4 !== 0);
      expect(Array.from(bitsOf(decoded))).toEqual(Array.from(bitsOf(w)));
    }
  });

  it('round-trips through a tfjs model', async () => {
    await tf.setBackend('cpu');
    for (const task of ['injury', 'readiness'] as const) {
      const spec = modelSpec(task, 11);
      const w = initialWeights(spec, 3).map((v, i) => v + i * 1e-3);
      const model = buildTfModel(spec);
      setFlatWeights(model, spec, w);
      expect(Array.from(bitsOf(getFlatWeights(model)))).toEqual(Array.from(bitsOf(w)));
      expect(model.getWeights().map((t) => t.shape)).toEqual(weightManifest(spec).map((e) => e.shape));
      model.dispose();
    }
  });

  it('refuses wrong lengths and non-finite values', () => {
    const manifest = weightManifest(modelSpec('readiness', 4));
    const n = parameterCount(manifest);
    expect(() => decodeWeights(new Uint8Array(n * 4 - 4), manifest)).toThrow(/expected/);
    const bad = new Float32Array(n);
    bad[5] = Number.NaN;
    expect(() => decodeWeights(encodeWeights(bad), manifest)).toThrow(/weight 5 is not finite/);
    bad[5] = Number.POSITIVE_INFINITY;
    expect(() => decodeWeights(encodeWeights(bad), manifest)).toThrow(/not finite/);
  });
});
