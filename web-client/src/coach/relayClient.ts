import nacl from 'tweetnacl';
import { keyMatchesPairingCode, normalizePairingCode, relayMessage, sealSummary, type CoachSummary } from '@huddle/shared/coach';
import { base64ToBytes, bytesToBase64 } from '@huddle/shared/util';
import type { Identity } from '../types.ts';
import { lastDayEndMs, type CoachShare, type ShareChoices } from './coachShare.ts';

export class RelayError extends Error {
  override name = 'RelayError';
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

/** An athlete's request, signed with the enrollment key over the route, the client id, the time and the payload. */
function signedBody(identity: Identity, route: string, payload: unknown): string {
  const text = JSON.stringify(payload);
  const timestamp = Date.now();
  const signature = nacl.sign.detached(new TextEncoder().encode(relayMessage(route, identity.clientId, timestamp, text)), base64ToBytes(identity.secretKey));
  return JSON.stringify({ clientId: identity.clientId, timestamp, payload: text, signature: bytesToBase64(signature) });
}

async function post(origin: string, identity: Identity, path: string, payload: unknown): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: signedBody(identity, `POST ${path}`, payload) });
  } catch {
    throw new RelayError('Could not reach the team server. Check your connection and try again.', null);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    throw new RelayError(typeof body?.error === 'string' ? `The team server refused: ${body.error}.` : `The team server refused the request (HTTP ${res.status}).`, res.status);
  }
  return res;
}

/**
 * Pairs with a coach from the code the coach's board shows. The coordinator is asked for the key behind the code, and
 * the key is accepted only if its fingerprint is the code: a coordinator that substitutes its own key is refused here,
 * on the athlete's device, before anything is shared.
 */
export async function pairWithCoach(origin: string, identity: Identity, typedCode: string, o: { name: string; lastDay: string; share: ShareChoices }): Promise<CoachShare> {
  const coachId = normalizePairingCode(typedCode);
  if (!coachId) throw new RelayError('A coach code is 32 letters and digits in groups of four, as shown on the coach’s board. Check it and try again.', 400);
  let res: Response;
  try {
    res = await fetch(`${origin}/api/coach/keys/${coachId}`);
  } catch {
    throw new RelayError('Could not reach the team server. Check your connection and try again.', null);
  }
  if (res.status === 404) throw new RelayError('No coach with that code is enrolled at this team. Check the code with your coach.', 404);
  const body = (await res.json().catch(() => null)) as { boxPublicKey?: unknown } | null;
  const key = typeof body?.boxPublicKey === 'string' ? safeBytes(body.boxPublicKey) : null;
  if (!key || !keyMatchesPairingCode(key, coachId)) {
    throw new RelayError('The team server answered with a key that does not match this coach’s code. Nothing was shared. Tell your coach and the team’s operator.', res.status);
  }
  const box = nacl.box.keyPair();
  const granted = await post(origin, identity, '/api/coach/grants', { coachId, athleteBoxKey: bytesToBase64(box.publicKey), expiresAt: lastDayEndMs(o.lastDay) });
  const grant = (await granted.json()) as { grantId: string };
  return {
    grantId: grant.grantId,
    coachId,
    coachBoxKey: bytesToBase64(key),
    boxPublicKey: bytesToBase64(box.publicKey),
    boxSecretKey: bytesToBase64(box.secretKey),
    name: o.name,
    lastDay: o.lastDay,
    share: o.share,
    createdAt: new Date().toISOString(),
    lastSent: null,
    revokedAt: null,
  };
}

function safeBytes(b64: string): Uint8Array | null {
  try {
    return base64ToBytes(b64);
  } catch {
    return null;
  }
}

/** Encrypts the summary to the coach's key on this device and hands only the ciphertext to the relay. */
export async function sendSummary(origin: string, identity: Identity, share: CoachShare, summary: CoachSummary): Promise<void> {
  const sealed = sealSummary(summary, base64ToBytes(share.coachBoxKey), base64ToBytes(share.boxSecretKey));
  await post(origin, identity, `/api/coach/grants/${share.grantId}/summaries`, { nonce: bytesToBase64(sealed.nonce), ciphertext: bytesToBase64(sealed.ciphertext) });
}

export async function revokeSharing(origin: string, identity: Identity, share: CoachShare): Promise<void> {
  try {
    await post(origin, identity, `/api/coach/grants/${share.grantId}/revoke`, {});
  } catch (err) {
    // Already revoked or expired there: the sharing is over either way.
    if (!(err instanceof RelayError && (err.status === 410 || err.status === 404))) throw err;
  }
}
