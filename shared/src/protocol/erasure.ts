import nacl from 'tweetnacl';
import { bytesToBase64 } from '../util/base64.ts';

/** The exact UTF-8 text an athlete's device signs to erase its enrollment. */
export function erasureMessage(clientId: string, timestamp: number): string {
  return `DELETE /api/enrollments/${clientId}\n${timestamp}`;
}

/** The `X-Huddle-Signature` header value (base64 Ed25519 signature) for `erasureMessage`. */
export function signErasure(secretKey: Uint8Array, clientId: string, timestamp: number): string {
  return bytesToBase64(nacl.sign.detached(new TextEncoder().encode(erasureMessage(clientId, timestamp)), secretKey));
}
