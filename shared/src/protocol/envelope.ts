import { sha256 } from '@noble/hashes/sha2.js';
import nacl from 'tweetnacl';

/**
 * Client messages travel sealed: `seq` strictly increases per connection and the Ed25519
 * signature covers the connection's challenge nonce, so a message cannot be replayed on this or
 * another connection, nor attributed to another client. Since protocol 6 it covers the body's
 * SHA-256 rather than the body (docs/privacy.md, "Signed messages").
 */
export interface Envelope {
  body: Uint8Array;
  seq: number;
  sig?: Uint8Array;
}

const HELLO_CONTEXT = new TextEncoder().encode('huddle/hello/v2');
const MESSAGE_CONTEXT = new TextEncoder().encode('huddle/msg/v2');

/** SHA-256 of a message body. `sha256` here is plain JS; Node callers pass node:crypto's (the same bytes, 10x faster). */
export type BodyDigest = (body: Uint8Array) => Uint8Array;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(seq), false);
  return b;
}

/** The hello's signature covers the client id and the tasks it joins, so neither can be altered in transit. */
export function helloSigningBytes(nonce: Uint8Array, clientId: string, tasks: readonly string[]): Uint8Array {
  return concat([HELLO_CONTEXT, nonce, new TextEncoder().encode(JSON.stringify([clientId, tasks]))]);
}

/** What a sealed message's signature covers: context, nonce, seq and the body's SHA-256 (85 bytes, whatever the body's size). */
export function messageSigningBytes(nonce: Uint8Array, seq: number, body: Uint8Array, digest: BodyDigest = sha256): Uint8Array {
  return concat([MESSAGE_CONTEXT, nonce, seqBytes(seq), digest(body)]);
}

export function signHello(secretKey: Uint8Array, nonce: Uint8Array, clientId: string, tasks: readonly string[]): Uint8Array {
  return nacl.sign.detached(helloSigningBytes(nonce, clientId, tasks), secretKey);
}

export function sealMessage(secretKey: Uint8Array | null, nonce: Uint8Array, seq: number, body: Uint8Array): Envelope {
  return secretKey ? { body, seq, sig: nacl.sign.detached(messageSigningBytes(nonce, seq, body), secretKey) } : { body, seq };
}

export function verifyHelloSignature(publicKey: Uint8Array, nonce: Uint8Array, clientId: string, tasks: readonly string[], signature: Uint8Array): boolean {
  return signature.length === 64 && publicKey.length === 32 && nacl.sign.detached.verify(helloSigningBytes(nonce, clientId, tasks), signature, publicKey);
}

export function verifyEnvelopeSignature(publicKey: Uint8Array, nonce: Uint8Array, envelope: Envelope): boolean {
  const sig = envelope.sig;
  return !!sig && sig.length === 64 && publicKey.length === 32 && nacl.sign.detached.verify(messageSigningBytes(nonce, envelope.seq, envelope.body), sig, publicKey);
}
