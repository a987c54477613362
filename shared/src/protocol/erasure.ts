import nacl from 'tweetnacl';

/** The exact UTF-8 text an athlete's device signs to erase its enrollment. */
export function erasureMessage(clientId: string, timestamp: number): string {
  return `DELETE /api/enrollments/${clientId}\n${timestamp}`;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** The `X-Huddle-Signature` header value (base64 Ed25519 signature) for `erasureMessage`. */
export function signErasure(secretKey: Uint8Array, clientId: string, timestamp: number): string {
  return toBase64(nacl.sign.detached(new TextEncoder().encode(erasureMessage(clientId, timestamp)), secretKey));
}
