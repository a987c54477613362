import nacl from 'tweetnacl';
import type { z } from 'zod';
import { RELAY_WINDOW_MS, relayMessage, signedRelayRequestSchema } from '@huddle/shared/coach';
import { decodeBase64, sha256 } from '../auth/secrets.ts';
import type { CoachStore, Refusal } from './coachAccess.ts';

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'invalid';
}

/** A zod parse as a clear 400. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown, what: string): { ok: true; value: T } | Refusal {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, status: 400, error: `${what}: ${firstIssue(parsed.error)}` };
}

/**
 * Checks an athlete's signed relay request for `route`: the envelope's shape, a timestamp within 5 minutes, an active
 * enrollment, the Ed25519 signature of that enrollment's key over (route, client, timestamp, payload), that the same
 * request was not seen before (remembered until it would be stale anyway), then the payload's own schema.
 */
export function verifyRelayRequest<T>(store: CoachStore, route: string, body: unknown, payloadSchema: z.ZodType<T>, now: number): { ok: true; clientId: string; payload: T } | Refusal {
  const envelope = parseBody(signedRelayRequestSchema, body, 'signed request');
  if (!envelope.ok) return envelope;
  const { clientId, timestamp, payload, signature } = envelope.value;
  if (Math.abs(now - timestamp) > RELAY_WINDOW_MS) return { ok: false, status: 403, error: 'the signed timestamp is more than 5 minutes from the coordinator clock; sign again' };
  const enrollment = store.enrollments.byClientId(clientId);
  if (!enrollment || enrollment.revokedAt !== null) return { ok: false, status: 403, error: 'no active enrollment with this client id' };
  const message = new TextEncoder().encode(relayMessage(route, clientId, timestamp, payload));
  if (!nacl.sign.detached.verify(message, decodeBase64(signature, nacl.sign.signatureLength)!, enrollment.publicKey)) {
    return { ok: false, status: 403, error: 'the signature does not match the enrolled key for this route' };
  }
  if (!store.usedSignatures.claim(sha256(message), timestamp + RELAY_WINDOW_MS, now)) return { ok: false, status: 403, error: 'this signed request was already used; sign a new one' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, status: 400, error: 'payload: must be JSON text' };
  }
  const parsed = parseBody(payloadSchema, json, 'payload');
  return parsed.ok ? { ok: true, clientId, payload: parsed.value } : parsed;
}
