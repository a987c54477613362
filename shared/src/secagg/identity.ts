import nacl from 'tweetnacl';
import { encodeFields } from './bytes.ts';

/**
 * Ed25519 statements of the malicious-server variant (Bonawitz et al. 2017, §6.2): a peer signs its Round 0 key
 * advertisement and, in the consistency round, the survivor set it was shown, with its enrollment key; an optional
 * auditor countersigns enrollment keys so that clients can tell real enrolled athletes from peers a coordinator
 * invents. Every statement starts with its own label, so no signature can be replayed as another kind.
 */
export const SIGNING_PUBLIC_KEY_BYTES = nacl.sign.publicKeyLength;
export const SIGNATURE_BYTES = nacl.sign.signatureLength;

const ADVERTISEMENT = 'huddle/secagg/advertisement/v1';
const SURVIVORS = 'huddle/secagg/survivor-set/v1';
const COUNTERSIGNATURE = 'huddle/auditor/enrollment/v1';

export function advertisementBytes(roundId: string, clientId: string, encPublicKey: Uint8Array, maskPublicKey: Uint8Array): Uint8Array {
  return encodeFields([ADVERTISEMENT, roundId, clientId, encPublicKey, maskPublicKey]);
}

/** The survivor set U3 and the dropped set, in the order the request lists them (canonical: sorted ids). */
export function survivorSetBytes(roundId: string, survivors: readonly string[], dropped: readonly string[]): Uint8Array {
  return encodeFields([SURVIVORS, roundId, String(survivors.length), ...survivors, String(dropped.length), ...dropped]);
}

/** What an auditor countersigns: this enrollment key belongs to the enrolled participant `clientId`. */
export function enrollmentStatementBytes(clientId: string, enrollmentPublicKey: Uint8Array): Uint8Array {
  return encodeFields([COUNTERSIGNATURE, clientId, enrollmentPublicKey]);
}

export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return nacl.sign.detached(message, secretKey);
}

/** False (never throws) for wrong lengths or a bad signature. */
export function verifySignature(publicKey: Uint8Array | undefined, message: Uint8Array, signature: Uint8Array | undefined): boolean {
  if (!publicKey || !signature || publicKey.length !== SIGNING_PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
  return nacl.sign.detached.verify(message, signature, publicKey);
}

/** The auditor's countersignature of one enrollment (run by whoever holds the auditor key, never the coordinator). */
export function countersignEnrollment(auditorSecretKey: Uint8Array, clientId: string, enrollmentPublicKey: Uint8Array): Uint8Array {
  return sign(auditorSecretKey, enrollmentStatementBytes(clientId, enrollmentPublicKey));
}

export function verifyCountersignature(auditorPublicKey: Uint8Array, clientId: string, enrollmentPublicKey: Uint8Array, signature: Uint8Array | undefined): boolean {
  return verifySignature(auditorPublicKey, enrollmentStatementBytes(clientId, enrollmentPublicKey), signature);
}

/** The Ed25519 public half of a tweetnacl secret key (its last 32 bytes). */
export function signingPublicKey(secretKey: Uint8Array): Uint8Array {
  return nacl.sign.keyPair.fromSecretKey(secretKey).publicKey;
}
