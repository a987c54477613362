import { parameterCount, type WeightEntry } from './spec.ts';

export class WeightsCodecError extends Error {
  override name = 'WeightsCodecError';
}

/** Float32 weights as little-endian bytes: the only form in which weights cross a wire. */
export function encodeWeights(weights: Float32Array): Uint8Array {
  const out = new Uint8Array(weights.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < weights.length; i++) view.setFloat32(i * 4, weights[i]!, true);
  return out;
}

/** Decodes and checks length against the manifest and that every value is finite. */
export function decodeWeights(bytes: Uint8Array, manifest: readonly WeightEntry[]): Float32Array {
  const expected = parameterCount(manifest);
  if (bytes.byteLength !== expected * 4) {
    throw new WeightsCodecError(`expected ${expected} float32 weights (${expected * 4} bytes), got ${bytes.byteLength} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) throw new WeightsCodecError(`weight ${i} is not finite`);
    out[i] = v;
  }
  return out;
}

/** Splits a flat vector into per-entry views, in manifest order. */
export function splitWeights(flat: Float32Array, manifest: readonly WeightEntry[]): Float32Array[] {
  if (flat.length !== parameterCount(manifest)) {
    throw new WeightsCodecError(`flat vector has ${flat.length} values, manifest needs ${parameterCount(manifest)}`);
  }
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const entry of manifest) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    parts.push(flat.subarray(offset, offset + size));
    offset += size;
  }
  return parts;
}

export function concatWeights(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
