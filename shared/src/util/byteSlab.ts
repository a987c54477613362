/**
 * Small byte strings a coordinator keeps per client (challenge nonces, enrollment keys), cut from shared chunks.
 * A Uint8Array of its own costs about 350 bytes in V8 for 32 bytes of data (the view, its ArrayBuffer and the
 * backing store's bookkeeping); a leader kept three per client, 10 MB at 10,000 clients. A chunk is freed when
 * none of its strings is referenced any more, so a long-lived string can pin at most `chunkBytes` of others.
 */
export class ByteSlab {
  private chunk = new Uint8Array(0);
  private used = 0;

  constructor(private readonly chunkBytes = 4096) {}

  /** A copy of `bytes` in the slab (own storage for anything longer than a chunk). */
  copy(bytes: Uint8Array): Uint8Array {
    const out = this.take(bytes.byteLength);
    out.set(bytes);
    return out;
  }

  /** `length` cryptographically random bytes in the slab. */
  random(length: number): Uint8Array {
    return globalThis.crypto.getRandomValues(this.take(length));
  }

  private take(length: number): Uint8Array {
    if (length > this.chunkBytes) return new Uint8Array(length);
    if (this.used + length > this.chunk.byteLength) {
      this.chunk = new Uint8Array(this.chunkBytes);
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + length);
    // Keep every string 4-aligned, as a fresh array would be.
    this.used += (length + 3) & ~3;
    return out;
  }
}
