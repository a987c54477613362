import nacl from 'tweetnacl';
import { coachFingerprint } from '@huddle/shared/coach';
import { base64ToBytes, bytesToBase64 } from '@huddle/shared/util';
import type { CoachIdentity } from './coachVault.ts';

export class CoachApiError extends Error {
  override name = 'CoachApiError';
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

async function errorOf(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
}

/**
 * Enrolls this device as a coach: the box key pair is made here and only its public half is sent. The coordinator
 * answers with the coach id; it must be the fingerprint of this device's key (checked here), which is the pairing code
 * athletes type.
 */
export async function enrollCoach(origin: string, inviteCode: string): Promise<CoachIdentity> {
  const code = inviteCode.trim().replace(/\s+/g, '');
  if (!code) throw new CoachApiError('Enter the coach invite code from your team’s operator.', 400);
  const box = nacl.box.keyPair();
  let res: Response;
  try {
    res = await fetch(`${origin}/api/coach/enroll`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ inviteCode: code, boxPublicKey: bytesToBase64(box.publicKey) }) });
  } catch {
    throw new CoachApiError('Could not reach the team server. Check your connection and try again.', null);
  }
  if (res.status !== 201) {
    const messages: Record<number, string> = {
      400: 'That code does not look right. Check it and try again.',
      404: 'That coach invite code is not known. Check it with your team’s operator.',
      410: 'That coach invite code has already been used or has expired. Ask for a new one.',
    };
    throw new CoachApiError(messages[res.status] ?? `The team server refused: ${await errorOf(res)}.`, res.status);
  }
  const body = (await res.json()) as { coachId?: unknown; token?: unknown };
  const coachId = coachFingerprint(box.publicKey);
  if (body.coachId !== coachId || typeof body.token !== 'string') throw new CoachApiError('The team server answered with a coach id that is not this device’s key fingerprint; not enrolled.', res.status);
  return { coachId, token: body.token, boxPublicKey: bytesToBase64(box.publicKey), boxSecretKey: bytesToBase64(box.secretKey), enrolledAt: new Date().toISOString() };
}

export interface BoardEntry {
  grantId: string;
  athleteBoxKey: Uint8Array;
  sharingSince: string;
  expiresAt: string;
  summaries: { nonce: Uint8Array; ciphertext: Uint8Array; receivedAt: string }[];
}

/** The board as relayed: per sharing athlete, its key and its latest summaries, still encrypted. */
export async function fetchBoard(origin: string, identity: CoachIdentity): Promise<BoardEntry[]> {
  let res: Response;
  try {
    res = await fetch(`${origin}/api/coach/board`, { headers: { Authorization: `Bearer ${identity.token}` }, cache: 'no-store' });
  } catch {
    throw new CoachApiError('Could not reach the team server; showing nothing new.', null);
  }
  if (res.status === 401) throw new CoachApiError('The team server no longer accepts this device as a coach (revoked by the operator).', 401);
  if (!res.ok) throw new CoachApiError(`The team server refused: ${await errorOf(res)}.`, res.status);
  const body = (await res.json()) as { athletes?: unknown };
  if (!Array.isArray(body.athletes)) throw new CoachApiError('The team server sent an unexpected answer.', res.status);
  return body.athletes.map((a: any) => ({
    grantId: String(a.grantId),
    athleteBoxKey: base64ToBytes(String(a.athleteBoxKey)),
    sharingSince: String(a.sharingSince),
    expiresAt: String(a.expiresAt),
    summaries: (Array.isArray(a.summaries) ? a.summaries : []).map((s: any) => ({ nonce: base64ToBytes(String(s.nonce)), ciphertext: base64ToBytes(String(s.ciphertext)), receivedAt: String(s.receivedAt) })),
  }));
}
