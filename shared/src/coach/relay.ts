import nacl from 'tweetnacl';
import { z } from 'zod';
import { SUMMARY_CIPHERTEXT_BYTES } from './summary.ts';

/** Standard base64 of exactly `bytes` bytes. */
function base64Of(bytes: number) {
  const chars = 4 * Math.ceil(bytes / 3);
  return z.string().length(chars, `must be base64 of ${bytes} bytes`).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
}

export const coachIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{32}$/, 'must be a coach id (32 base32 symbols, the coach key fingerprint)');
const clientIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an enrolled client id');

/** `POST /api/coach-invites` (admin). */
export const coachInviteBodySchema = z.object({ expiresInHours: z.number().min(1).max(720).default(72), note: z.string().max(200).nullable().default(null) }).strict();

/** `POST /api/coach/enroll`: the coach's device redeems an invite for its box public key. */
export const coachEnrollBodySchema = z.object({ inviteCode: z.string().min(1).max(64), boxPublicKey: base64Of(nacl.box.publicKeyLength) }).strict();

/** An athlete's request to the relay: a payload (JSON text) signed with the athlete's enrollment key. */
export const signedRelayRequestSchema = z
  .object({
    clientId: clientIdSchema,
    timestamp: z.number().int().positive(),
    payload: z.string().max(8192),
    signature: base64Of(nacl.sign.signatureLength),
  })
  .strict();
export type SignedRelayRequest = z.infer<typeof signedRelayRequestSchema>;

/** Payload of `POST /api/coach/grants`: share with this coach, under this sharing's own athlete box key, until `expiresAt`. */
export const grantPayloadSchema = z.object({ coachId: coachIdSchema, athleteBoxKey: base64Of(nacl.box.publicKeyLength), expiresAt: z.number().int().positive() }).strict();
/** Payload of `POST /api/coach/grants/:id/summaries`: one boxed summary. */
export const summaryPayloadSchema = z.object({ nonce: base64Of(nacl.box.nonceLength), ciphertext: base64Of(SUMMARY_CIPHERTEXT_BYTES) }).strict();
/** Payload of `POST /api/coach/grants/:id/revoke`. */
export const revokePayloadSchema = z.object({}).strict();

/** The exact UTF-8 text an athlete signs for a relay request: the route is part of it, so a signature works on one route only. */
export function relayMessage(route: string, clientId: string, timestamp: number, payload: string): string {
  return `huddle/coach-relay/v1\n${route}\n${clientId}\n${timestamp}\n${payload}`;
}

/** How far a signed relay request's timestamp may be from the coordinator's clock, either way. */
export const RELAY_WINDOW_MS = 5 * 60_000;

/** The longest an athlete may share with a coach in one grant. */
export const MAX_SHARING_DAYS = 366;
