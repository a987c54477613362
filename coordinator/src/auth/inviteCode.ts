import { createHmac, randomBytes } from 'node:crypto';
import { sha256 } from './secrets.ts';

/** Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 20 symbols of 5 bits = 100 bits: beyond guessing even offline, should the database leak with its key. */
export const CODE_SYMBOLS = 20;
/** Codes issued before 100-bit codes (10 symbols, 50 bits, unsalted SHA-256), still redeemable until they expire. */
const LEGACY_SYMBOLS = 10;
const GROUP = 5;

/** A fresh code, shown as `XXXXX-XXXXX-XXXXX-XXXXX`. */
export function newInviteCode(): string {
  // 256 is a multiple of 32: taking 5 bits of each random byte is unbiased.
  const symbols = [...randomBytes(CODE_SYMBOLS)].map((b) => ALPHABET[b & 31]!).join('');
  return symbols.match(new RegExp(`.{${GROUP}}`, 'g'))!.join('-');
}

/** The canonical form of what someone typed: case, spaces and dashes ignored, look-alike letters mapped. */
export function normalizeInviteCode(typed: string): string | null {
  const canonical = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if ((canonical.length !== CODE_SYMBOLS && canonical.length !== LEGACY_SYMBOLS) || [...canonical].some((c) => !ALPHABET.includes(c))) return null;
  return canonical;
}

/**
 * What is stored of a code: HMAC-SHA256 under the coordinator's invite key (kept in the database,
 * `server_secrets`), so a copy of the invites table alone does not let anyone test guesses.
 */
export function inviteCodeHash(canonical: string, key: Uint8Array): Uint8Array {
  if (canonical.length === LEGACY_SYMBOLS) return sha256(`huddle/invite/v1:${canonical}`);
  return new Uint8Array(createHmac('sha256', key).update(`huddle/invite/v2:${canonical}`).digest());
}
