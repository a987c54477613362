import nacl from 'tweetnacl';

/** Crockford base32: no I, L, O or U, so a code read aloud or typed from a screen survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DOMAIN = new TextEncoder().encode('huddle/coach-key/v1\n');
/** 160 bits: a coordinator would need a second preimage of truncated SHA-512 to pass off another key as this one. */
export const FINGERPRINT_BYTES = 20;
/** 160 bits = 32 base32 symbols. */
export const PAIRING_CODE_SYMBOLS = 32;

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The coach's id and pairing code: 32 base32 symbols of SHA-512("huddle/coach-key/v1\n" || box public key), truncated
 * to 160 bits. The code is the key's fingerprint, so it binds the key: an athlete who checks that the key the
 * coordinator hands over hashes to the code the coach showed detects any substituted key.
 */
export function coachFingerprint(boxPublicKey: Uint8Array): string {
  if (boxPublicKey.length !== nacl.box.publicKeyLength) throw new RangeError('a coach key is a 32-byte X25519 public key');
  const input = new Uint8Array(DOMAIN.length + boxPublicKey.length);
  input.set(DOMAIN);
  input.set(boxPublicKey, DOMAIN.length);
  return base32(nacl.hash(input).subarray(0, FINGERPRINT_BYTES));
}

/** `XXXX-XXXX-...` (8 groups of 4) for display. */
export function formatPairingCode(fingerprint: string): string {
  return fingerprint.match(/.{1,4}/g)!.join('-');
}

/** The canonical fingerprint of what someone typed (case, spaces and dashes ignored, look-alikes mapped), or null. */
export function normalizePairingCode(typed: string): string | null {
  const canonical = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (canonical.length !== PAIRING_CODE_SYMBOLS || [...canonical].some((c) => !ALPHABET.includes(c))) return null;
  return canonical;
}

/** True when `boxPublicKey` is the key the pairing code names. Constant work whatever the answer. */
export function keyMatchesPairingCode(boxPublicKey: Uint8Array, fingerprint: string): boolean {
  if (boxPublicKey.length !== nacl.box.publicKeyLength) return false;
  const actual = coachFingerprint(boxPublicKey);
  let diff = actual.length ^ fingerprint.length;
  for (let i = 0; i < actual.length; i++) diff |= actual.charCodeAt(i) ^ (fingerprint.charCodeAt(i) || 0);
  return diff === 0;
}

/**
 * A short code both devices show for one sharing (both box keys): the athlete and the coach can compare it in person,
 * which also rules out a coordinator posing as an athlete to the coach.
 */
export function safetyCode(coachKey: Uint8Array, athleteKey: Uint8Array): string {
  const input = new Uint8Array(DOMAIN.length + 64);
  input.set(DOMAIN);
  input.set(coachKey, DOMAIN.length);
  input.set(athleteKey, DOMAIN.length + 32);
  return formatPairingCode(base32(nacl.hash(input).subarray(0, 5)));
}
