import { createHash } from 'node:crypto';
import { ed25519PublicKey, ed25519Signer } from '../../../coordinator/src/auth/ed25519.ts';

/**
 * Who load-bench client i is, derived from i alone so the bench (which enrolls them) and the client processes
 * (which sign as them) agree without passing 10,000 keys around: its id, its Ed25519 seed, and the loopback
 * address it connects from. Enrolled nodes cap connections per address (20), as they would for one household
 * or clubhouse: 16 clients share an address, as if 16 devices sat behind one router.
 */
export const CLIENTS_PER_ADDRESS = 16;

export const loadClientId = (i: number): string => `load-${String(i + 1).padStart(5, '0')}`;

export const loadClientSeed = (i: number): Uint8Array => new Uint8Array(createHash('sha256').update(`huddle load bench client ${i}`).digest());

export const loadClientPublicKey = (i: number): Uint8Array => ed25519PublicKey(loadClientSeed(i));

/** Signs as client i (node:crypto Ed25519: the same signatures as tweetnacl's, far cheaper; see coordinator/test/ed25519.test.ts). */
export const loadClientSigner = (i: number): ((message: Uint8Array) => Uint8Array) => ed25519Signer(loadClientSeed(i));

/** 127.1.x.y, a distinct loopback address per CLIENTS_PER_ADDRESS clients (Linux routes all of 127/8 to lo). */
export function loadClientAddress(i: number): string {
  const a = Math.floor(i / CLIENTS_PER_ADDRESS);
  return `127.1.${Math.floor(a / 250)}.${1 + (a % 250)}`;
}
