import { parameterCount, type WeightEntry } from './spec.ts';

export class WeightsCodecError extends Error {
  override name = 'WeightsCodecError';
}

/** Whether this platform stores floats little-endian (every current browser and Node target): then a copy is the encoding. */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Float32 weights as little-endian bytes: the only form in which weights cross a wire. */
export function encodeWeights(weights: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(weights.slice().buffer);
  const out = new Uint8Array(weights.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < weights.length; i++) view.setFloat32(i * 4, weights[i]!, true);
  return out;
}

/**
 * Decodes and checks length against the manifest and that every value is finite. Where the bytes are 4-aligned
 * (little-endian platforms), the result is a view over them, not a copy: treat it as read-only. `scratch`, of the
 * manifest's length, is where unaligned bytes are copied instead of a new array: for a caller that is done with the
 * result before its next call (a running sum).
 */
export function decodeWeights(bytes: Uint8Array, manifest: readonly WeightEntry[], scratch?: Float32Array): Float32Array {
  const expected = parameterCount(manifest);
  if (bytes.byteLength !== expected * 4) {
    throw new WeightsCodecError(`expected ${expected} float32 weights (${expected * 4} bytes), got ${bytes.byteLength} bytes`);
  }
  let out: Float32Array;
  if (LITTLE_ENDIAN) {
    if (bytes.byteOffset % 4 === 0) out = new Float32Array(bytes.buffer, bytes.byteOffset, expected);
    else {
      // Not bytes.slice(): on a Node Buffer that is a view, not a copy.
      out = scratch?.length === expected ? scratch : new Float32Array(expected);
      new Uint8Array(out.buffer, out.byteOffset, bytes.byteLength).set(bytes);
    }
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    out = Float32Array.from({ length: expected }, (_, i) => view.getFloat32(i * 4, true));
  }
  // x * 0 is 0 for every finite x and NaN for NaN and the infinities: one branch-free pass, then find the culprit.
  let probe = 0;
  for (let i = 0; i < expected; i++) probe += out[i]! * 0;
  if (probe !== 0) {
    for (let i = 0; i < expected; i++) {
      if (!Number.isFinite(out[i]!)) throw new WeightsCodecError(`weight ${i} is not finite`);
    }
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
