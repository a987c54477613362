/** Byte helpers. Every buffer handed to WebCrypto must be ArrayBuffer-backed, hence `Bytes`. */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(s: string): Bytes {
  return encoder.encode(s) as Bytes;
}

export function fromUtf8(b: Uint8Array): string {
  return decoder.decode(b);
}

/** A fresh plain Uint8Array copy: detaches from Buffer subclasses and shared/foreign backing stores. */
export function copyBytes(b: Uint8Array): Bytes {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Unambiguous encoding of a tuple: each field as u32 big-endian length, then its bytes (strings as UTF-8). ASCII
 * strings (ids, labels) are copied char by char: a roster's encoding has three fields per participant, and one
 * TextEncoder call per field costs more than the copy.
 */
export function encodeFields(fields: readonly (Uint8Array | string)[]): Bytes {
  const raw = fields.map((f) => (typeof f === 'string' && !isAscii(f) ? utf8(f) : f));
  let length = 4 * raw.length;
  for (const r of raw) length += r.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const r of raw) {
    view.setUint32(offset, r.length, false);
    offset += 4;
    if (typeof r === 'string') {
      for (let i = 0; i < r.length; i++) out[offset + i] = r.charCodeAt(i);
    } else {
      out.set(r, offset);
    }
    offset += r.length;
  }
  return out;
}

/** Inverse of `encodeFields`; null when the layout is not exactly `count` fields. */
export function decodeFields(data: Uint8Array, count: number): Bytes[] | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const fields: Bytes[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > data.length) return null;
    const len = view.getUint32(offset, false);
    offset += 4;
    if (offset + len > data.length) return null;
    fields.push(copyBytes(data.subarray(offset, offset + len)));
    offset += len;
  }
  return offset === data.length ? fields : null;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function isAllZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

export function randomBytes(length: number): Bytes {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

/** An exact string image of the bytes, cheap to build, for use as a Map/Set key. */
export function bytesKey(b: Uint8Array): string {
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** Inverse of `toHex` (lower or upper case); throws RangeError on odd length or a non-hex digit. */
export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
