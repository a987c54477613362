import nacl from 'tweetnacl';

/** What a client sends for every message after the challenge (see `sealMessage`). */
export interface SealedEnvelope {
  /** The msgpack-encoded protocol message. */
  body: Uint8Array;
  /** Strictly increasing per connection, starting at 1. */
  seq: number;
  sig?: Uint8Array;
}

const HELLO_CONTEXT = new TextEncoder().encode('huddle/hello/v1');
const MESSAGE_CONTEXT = new TextEncoder().encode('huddle/msg/v1');

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function seqBytes(seq: number): Uint8Array {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`seq must be a non-negative safe integer, got ${seq}`);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(seq), false);
  return bytes;
}

/** "huddle/hello/v1" || nonce || UTF-8 clientId */
export function helloSigningBytes(nonce: Uint8Array, clientId: string): Uint8Array {
  return concat([HELLO_CONTEXT, nonce, new TextEncoder().encode(clientId)]);
}

/** "huddle/msg/v1" || nonce || seq (8 bytes, big-endian) || body */
export function messageSigningBytes(nonce: Uint8Array, seq: number, body: Uint8Array): Uint8Array {
  return concat([MESSAGE_CONTEXT, nonce, seqBytes(seq), body]);
}

/** The `signature` of a hello: proves the enrolled key answers this connection's challenge. */
export function signHello(secretKey: Uint8Array, nonce: Uint8Array, clientId: string): Uint8Array {
  return nacl.sign.detached(helloSigningBytes(nonce, clientId), secretKey);
}

/** Wraps an encoded message for the wire, bound to this connection (nonce) and position (seq). */
export function sealMessage(secretKey: Uint8Array, nonce: Uint8Array, seq: number, body: Uint8Array): SealedEnvelope {
  return { body, seq, sig: nacl.sign.detached(messageSigningBytes(nonce, seq, body), secretKey) };
}
