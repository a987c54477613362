import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildTfModel, decodeWeights, decodeWeightsView, encodeWeights, getFlatWeights, initialWeights, modelSpec, parameterCount, setFlatWeights, weightManifest } from '../src/model/index.ts';

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
      const decoded = decodeWeightsView(frame.subarray(offset, offset + n * 4), manifest, scratch);
      expect(decoded === scratch).toBe(offset % 4 !== 0);
      expect(Array.from(bitsOf(decoded))).toEqual(Array.from(bitsOf(w)));
    }
  });

  it('decodes into an array of its own: it shares no memory with the frame and outlives the frame being overwritten', () => {
    const manifest = weightManifest(modelSpec('readiness', 4));
    const n = parameterCount(manifest);
    const w = initialWeights(modelSpec('readiness', 4), 5);
    for (const offset of [0, 3, 8]) {
      const frame = Buffer.alloc(n * 4 + offset + 5, 0xff);
      frame.set(encodeWeights(w), offset);
      const decoded = decodeWeights(frame.subarray(offset, offset + n * 4), manifest);
      expect(decoded.buffer).not.toBe(frame.buffer);
      frame.fill(0);
      expect(Array.from(bitsOf(decoded))).toEqual(Array.from(bitsOf(w)));
    }
  });

  it('decodes a view over aligned bytes, and unaligned bytes into the scratch array, for a caller done with each before the next', () => {
    const manifest = weightManifest(modelSpec('readiness', 4));
    const n = parameterCount(manifest);
    const w = initialWeights(modelSpec('readiness', 4), 5);
    const frame = Buffer.alloc(n * 4 + 16, 0xff);
    frame.set(encodeWeights(w), 8);
    const view = decodeWeightsView(frame.subarray(8, 8 + n * 4), manifest);
    expect(view.buffer).toBe(frame.buffer);
    expect(view.byteOffset).toBe(frame.byteOffset + 8);
    expect(Array.from(bitsOf(view))).toEqual(Array.from(bitsOf(w)));
    frame.fill(0, 8, 12);
    expect(view[0]).toBe(0);

    frame.set(encodeWeights(w), 3);
    const scratch = new Float32Array(n).fill(7);
    const decoded = decodeWeightsView(frame.subarray(3, 3 + n * 4), manifest, scratch);
    expect(decoded).toBe(scratch);
    expect(Array.from(bitsOf(scratch))).toEqual(Array.from(bitsOf(w)));
    // A scratch array of another length is not used.
    const short = new Float32Array(n - 1);
    expect(decodeWeightsView(frame.subarray(3, 3 + n * 4), manifest, short)).not.toBe(short);
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
    // The view decodes with the same checks and errors.
    expect(() => decodeWeightsView(new Uint8Array(n * 4 - 4), manifest)).toThrow(/expected/);
    bad[5] = Number.NaN;
    expect(() => decodeWeightsView(encodeWeights(bad), manifest)).toThrow(/weight 5 is not finite/);
    const unaligned = new Uint8Array(n * 4 + 1);
    unaligned.set(encodeWeights(bad), 1);
    expect(() => decodeWeightsView(unaligned.subarray(1), manifest, new Float32Array(n))).toThrow(/weight 5 is not finite/);
  });
});
