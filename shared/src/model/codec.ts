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
 * Decodes and checks length against the manifest and that every value is finite. The result is a fresh array the
 * caller owns: it shares no memory with `bytes`, so keeping it neither keeps a received frame alive nor sees the frame
 * change when a transport reuses that memory.
 */
export function decodeWeights(bytes: Uint8Array, manifest: readonly WeightEntry[]): Float32Array {
  return checkedFinite(copyInto(bytes, new Float32Array(checkedLength(bytes, manifest))));
}

/**
 * `decodeWeights` without a copy where it can: where the bytes are 4-aligned (little-endian platforms) the result is a
 * view over them, not a copy; otherwise they are copied into `scratch` (when it has the manifest's length) or a new
 * array. Only for a caller that is done with the result before its next call and before the bytes can change (a
 * running sum that adds each update and drops it); treat the result as read-only. Anyone who keeps the weights
 * wants `decodeWeights`.
 */
export function decodeWeightsView(bytes: Uint8Array, manifest: readonly WeightEntry[], scratch?: Float32Array): Float32Array {
  const expected = checkedLength(bytes, manifest);
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return checkedFinite(new Float32Array(bytes.buffer, bytes.byteOffset, expected));
  return checkedFinite(copyInto(bytes, scratch?.length === expected ? scratch : new Float32Array(expected)));
}

/** The number of weights `bytes` carry; throws unless that is the manifest's parameter count. */
function checkedLength(bytes: Uint8Array, manifest: readonly WeightEntry[]): number {
  const expected = parameterCount(manifest);
  if (bytes.byteLength !== expected * 4) {
    throw new WeightsCodecError(`expected ${expected} float32 weights (${expected * 4} bytes), got ${bytes.byteLength} bytes`);
  }
  return expected;
}

/** Reads the little-endian floats of `bytes` into `out` (of their length) and returns it. */
function copyInto(bytes: Uint8Array, out: Float32Array): Float32Array {
  if (LITTLE_ENDIAN) {
    // A byte copy, not bytes.slice(): on a Node Buffer that is a view, not a copy.
    new Uint8Array(out.buffer, out.byteOffset, bytes.byteLength).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

/** Returns `out`; throws on its first value that is NaN or infinite. */
function checkedFinite(out: Float32Array): Float32Array {
  // x * 0 is 0 for every finite x and NaN for NaN and the infinities: one branch-free pass, then find the culprit.
  let probe = 0;
  for (let i = 0; i < out.length; i++) probe += out[i]! * 0;
  if (probe !== 0) {
    for (let i = 0; i < out.length; i++) {
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
