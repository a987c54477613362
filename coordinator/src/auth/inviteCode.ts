import { randomBytes } from 'node:crypto';
import { sha256 } from './secrets.ts';

/** Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 symbols of 5 bits = 50 bits; with single use, expiry and rate-limited redemption, far beyond guessing. */
const CODE_SYMBOLS = 10;

/** A fresh code, shown as `XXXXX-XXXXX`. */
export function newInviteCode(): string {
  const bytes = randomBytes(CODE_SYMBOLS);
  const symbols = [...bytes].map((b) => ALPHABET[b & 31]!).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** The canonical form of what someone typed: case, spaces and dashes ignored, look-alike letters mapped. */
export function normalizeInviteCode(typed: string): string | null {
  const canonical = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (canonical.length !== CODE_SYMBOLS || [...canonical].some((c) => !ALPHABET.includes(c))) return null;
  return canonical;
}

export function inviteCodeHash(canonical: string): Uint8Array {
  return sha256(`huddle/invite/v1:${canonical}`);
}
