import { z } from 'zod';
import { SecAggError } from './errors.ts';
import { MAX_NEIGHBOURS, MAX_PARTICIPANTS, MAX_VECTOR_LENGTH, MIN_PARTICIPANTS } from './params.ts';
import { SIGNATURE_BYTES, SIGNING_PUBLIC_KEY_BYTES } from './identity.ts';
import { SHARE_BYTES } from './shamir.ts';
import { NONCE_BYTES } from './shareBox.ts';
import { X25519_KEY_BYTES } from './x25519.ts';

/**
 * Payloads of the four SecAgg rounds (Bonawitz et al. 2017, Fig. 4) plus the server's broadcasts. Binary fields are
 * Uint8Array (ArrayBuffer is accepted and converted, as msgpack/socket.io may hand either); every message carries the
 * round id. Peers authenticate each other end to end with their enrollment keys (identity.ts): signed key
 * advertisements in Round 0 and signed survivor sets in the consistency round. Those fields are optional on the wire
 * (open federations have no enrollment keys); a client whose policy requires signatures refuses a round without them.
 */
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
const ID_RULE = 'ids use letters, digits and . _ : -, at most 128';

export const idSchema = z.string().min(1).max(128).regex(ID_PATTERN, 'ids use letters, digits and . _ : -');

/** idSchema's rule as a plain predicate, for the per-participant lists below. */
function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= 128 && ID_PATTERN.test(v);
}

/** Bytes as msgpack or socket.io hand them (Uint8Array, Buffer or ArrayBuffer) of exactly `n` bytes, else null. */
function bytesOf(v: unknown, n: number): Uint8Array | null {
  if (v instanceof Uint8Array) return v.length === n ? v : null;
  if (v instanceof ArrayBuffer) return v.byteLength === n ? new Uint8Array(v) : null;
  return null;
}

const bytes = z
  .union([z.custom<Uint8Array>((v) => v instanceof Uint8Array), z.instanceof(ArrayBuffer)])
  .transform((b): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b)));
const bytesOfLength = (n: number) => bytes.refine((b) => b.length === n, `expected ${n} bytes`);
const bytesAtMost = (n: number) => bytes.refine((b) => b.length <= n, `expected at most ${n} bytes`);
const count = z.number().int().nonnegative();

/** Why a listOf item was refused. */
class Refused {
  constructor(readonly reason: string) {}
}

/**
 * A list of `min`..`max` items, each checked and normalised by `item` (which returns Refused with a reason) in one
 * plain loop. Rosters, survivor lists and consistency proofs hold one entry per participant and every participant
 * reads them, so zod's per-element machinery (microseconds an element) would cost O(n) per client and O(n^2) per
 * round in a simulation. `item` applies exactly the rules the equivalent zod schema would.
 */
function listOf<T>(what: string, min: number, max: number, item: (v: unknown) => T | Refused) {
  return z.unknown().transform((v, ctx): T[] => {
    if (!Array.isArray(v) || v.length < min || v.length > max) {
      ctx.addIssue({ code: 'custom', message: `expected a list of ${min} to ${max} ${what}` });
      return z.NEVER;
    }
    const out = new Array<T>(v.length);
    for (let i = 0; i < v.length; i++) {
      const r = item(v[i]);
      if (r instanceof Refused) {
        ctx.addIssue({ code: 'custom', message: r.reason, path: [i] });
        return z.NEVER;
      }
      out[i] = r;
    }
    return out;
  });
}

const idItem = (v: unknown): string | Refused => (isId(v) ? v : new Refused(ID_RULE));

/** Optional bytes field of an object: absent/undefined, or exactly `n` bytes. */
function optionalBytes(o: Record<string, unknown>, key: string, n: number): Uint8Array | undefined | Refused {
  const v = o[key];
  if (v === undefined) return undefined;
  return bytesOf(v, n) ?? new Refused(`${key}: expected ${n} bytes`);
}

export const participantKeysSchema = z.object({
  clientId: idSchema,
  /** c_u^PK: X25519 key for encrypting the shares exchanged with neighbours. */
  encPublicKey: bytesOfLength(X25519_KEY_BYTES),
  /** s_u^PK: X25519 key for the pairwise masks. */
  maskPublicKey: bytesOfLength(X25519_KEY_BYTES),
  /** The peer's Ed25519 enrollment key, from the coordinator's enrollment records. */
  enrollmentPublicKey: bytesOfLength(SIGNING_PUBLIC_KEY_BYTES).optional(),
  /** The peer's signature of (round id, its id, both X25519 keys) under its enrollment key (advertisementBytes). */
  signature: bytesOfLength(SIGNATURE_BYTES).optional(),
  /** An auditor's countersignature of (id, enrollment key) (enrollmentStatementBytes). */
  auditorSignature: bytesOfLength(SIGNATURE_BYTES).optional(),
});

/** Round 0, client -> server. */
export const advertiseKeysSchema = z.object({
  kind: z.literal('secagg/advertise-keys'),
  roundId: idSchema,
  clientId: idSchema,
  encPublicKey: participantKeysSchema.shape.encPublicKey,
  maskPublicKey: participantKeysSchema.shape.maskPublicKey,
  signature: participantKeysSchema.shape.signature,
});

export const paramsSchema = z.object({ neighbours: count, threshold: count, vectorLength: count });

export type ParticipantKeys = z.output<typeof participantKeysSchema>;

/** participantKeysSchema as a listOf item (unknown keys are dropped, as zod objects do). */
function participantItem(v: unknown): ParticipantKeys | Refused {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return new Refused('expected an object');
  const o = v as Record<string, unknown>;
  if (!isId(o.clientId)) return new Refused(`clientId: ${ID_RULE}`);
  const encPublicKey = bytesOf(o.encPublicKey, X25519_KEY_BYTES);
  if (!encPublicKey) return new Refused(`encPublicKey: expected ${X25519_KEY_BYTES} bytes`);
  const maskPublicKey = bytesOf(o.maskPublicKey, X25519_KEY_BYTES);
  if (!maskPublicKey) return new Refused(`maskPublicKey: expected ${X25519_KEY_BYTES} bytes`);
  const out: { -readonly [K in keyof ParticipantKeys]: ParticipantKeys[K] } = { clientId: o.clientId, encPublicKey, maskPublicKey };
  for (const [key, n] of [['enrollmentPublicKey', SIGNING_PUBLIC_KEY_BYTES], ['signature', SIGNATURE_BYTES], ['auditorSignature', SIGNATURE_BYTES]] as const) {
    const b = optionalBytes(o, key, n);
    if (b instanceof Refused) return b;
    if (b !== undefined) out[key] = b;
  }
  return out;
}

/** Server -> all of U1: participants sorted by id; the neighbour graph is derived from it (see NeighbourGraph). */
export const rosterSchema = z.object({
  kind: z.literal('secagg/roster'),
  roundId: idSchema,
  params: paramsSchema,
  participants: listOf('participants', MIN_PARTICIPANTS, MAX_PARTICIPANTS, participantItem),
});

/** secretbox(key_{from,to}, nonce, roundId || from || to || share of b_from || share of s_from^SK). */
export const encryptedSharesSchema = z.object({
  roundId: idSchema,
  from: idSchema,
  to: idSchema,
  nonce: bytesOfLength(NONCE_BYTES),
  box: bytesAtMost(1024),
  /** The dealer's commitments to the two shares inside (shareCommitment): the holder checks them on receipt, the server on reveal. */
  selfMaskShareHash: bytesOfLength(32),
  maskKeyShareHash: bytesOfLength(32),
});

/** Round 1, client -> server: one ciphertext per neighbour. */
export const shareKeysSchema = z.object({
  kind: z.literal('secagg/share-keys'),
  roundId: idSchema,
  clientId: idSchema,
  /** SHA-256 commitment to b_u (see selfMaskCommitment), checked by the server after reconstruction. */
  selfMaskCommitment: bytesOfLength(32),
  shares: z.array(encryptedSharesSchema).max(MAX_NEIGHBOURS),
});

/** Server -> each client of U2: the ciphertexts addressed to it by neighbours in U2. */
export const relaySchema = z.object({
  kind: z.literal('secagg/relay'),
  roundId: idSchema,
  to: idSchema,
  shares: z.array(encryptedSharesSchema).max(MAX_NEIGHBOURS),
});

/** Round 2, client -> server: y_u as little-endian uint32 words (4 * vectorLength bytes). */
export const maskedInputSchema = z.object({
  kind: z.literal('secagg/masked-input'),
  roundId: idSchema,
  clientId: idSchema,
  masked: bytesAtMost(4 * MAX_VECTOR_LENGTH),
});

/** Server -> each client of U3: survivors U3 and dropped U2 \ U3 (global lists, identical for everyone). */
export const unmaskRequestSchema = z.object({
  kind: z.literal('secagg/unmask-request'),
  roundId: idSchema,
  survivors: listOf('ids', 0, MAX_PARTICIPANTS, idItem),
  dropped: listOf('ids', 0, MAX_PARTICIPANTS, idItem),
});

/** Consistency round, client -> server: the client's signature of the survivor set it was shown. */
export const survivorSignatureSchema = z.object({
  kind: z.literal('secagg/survivor-signature'),
  roundId: idSchema,
  clientId: idSchema,
  signature: bytesOfLength(SIGNATURE_BYTES).optional(),
});

/** One signer of the survivor set: { clientId, signature? } (signature absent in open federations). */
function signatureItem(v: unknown): { clientId: string; signature?: Uint8Array } | Refused {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return new Refused('expected an object');
  const o = v as Record<string, unknown>;
  if (!isId(o.clientId)) return new Refused(`clientId: ${ID_RULE}`);
  const signature = optionalBytes(o, 'signature', SIGNATURE_BYTES);
  if (signature instanceof Refused) return signature;
  return signature === undefined ? { clientId: o.clientId } : { clientId: o.clientId, signature };
}

/** Server -> the signers: the survivor set again and every signature collected on it. */
export const consistencyProofSchema = z.object({
  kind: z.literal('secagg/consistency-proof'),
  roundId: idSchema,
  survivors: unmaskRequestSchema.shape.survivors,
  dropped: unmaskRequestSchema.shape.dropped,
  signatures: listOf('signatures', 0, MAX_PARTICIPANTS, signatureItem),
});

export const revealedShareSchema = z.object({ owner: idSchema, share: bytesOfLength(SHARE_BYTES) });

/** Round 3, client -> server: per neighbour, the b-share (owner survived) or the s-share (owner dropped). */
export const unmaskResponseSchema = z.object({
  kind: z.literal('secagg/unmask-response'),
  roundId: idSchema,
  clientId: idSchema,
  selfMaskShares: z.array(revealedShareSchema).max(MAX_NEIGHBOURS),
  maskKeyShares: z.array(revealedShareSchema).max(MAX_NEIGHBOURS),
});

export const secAggMessageSchema = z.discriminatedUnion('kind', [
  advertiseKeysSchema,
  rosterSchema,
  shareKeysSchema,
  relaySchema,
  maskedInputSchema,
  unmaskRequestSchema,
  survivorSignatureSchema,
  consistencyProofSchema,
  unmaskResponseSchema,
]);

export type AdvertiseKeysMessage = z.output<typeof advertiseKeysSchema>;
export type RosterMessage = z.output<typeof rosterSchema>;
export type EncryptedShares = z.output<typeof encryptedSharesSchema>;
export type ShareKeysMessage = z.output<typeof shareKeysSchema>;
export type RelayMessage = z.output<typeof relaySchema>;
export type MaskedInputMessage = z.output<typeof maskedInputSchema>;
export type UnmaskRequestMessage = z.output<typeof unmaskRequestSchema>;
export type SurvivorSignatureMessage = z.output<typeof survivorSignatureSchema>;
export type ConsistencyProofMessage = z.output<typeof consistencyProofSchema>;
export type RevealedShare = z.output<typeof revealedShareSchema>;
export type UnmaskResponseMessage = z.output<typeof unmaskResponseSchema>;
export type SecAggMessage = z.output<typeof secAggMessageSchema>;

/** Validates an incoming payload; SecAggError INVALID_MESSAGE on any schema violation. */
export function parseMessage<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new SecAggError('INVALID_MESSAGE', `${issue?.message ?? 'invalid message'}${where}`);
  }
  return result.data;
}
