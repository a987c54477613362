import nacl from 'tweetnacl';
import { TASKS as TASK_IDS, type TaskId } from './types.ts';
import { base64ToBytes, bytesToBase64 } from '@huddle/shared/util';
import type { Identity } from './types.ts';

export class EnrollError extends Error {
  override name = 'EnrollError';
  constructor(message: string, readonly status: number | null) {
    super(message);
  }
}

/** Invite codes as typed or pasted: trimmed, inner spaces removed. */
export function normalizeInviteCode(raw: string): string {
  return raw.trim().replace(/\s+/g, '');
}

/**
 * The invite code of a join link, or null: `/#/join?code=XXXX` (the app's own form) or `/join#code=XXXX` (the
 * coordinator's invite links, code in the fragment so it never reaches a server log).
 */
export function inviteCodeFromLink(pathname: string, hash: string): string | null {
  let query: string | null = null;
  if (/\/join\/?$/.test(pathname) && hash.startsWith('#') && !hash.startsWith('#/')) query = hash.slice(1);
  else if (/^#\/?join\?/.test(hash)) query = hash.slice(hash.indexOf('?') + 1);
  if (query === null) return null;
  const code = new URLSearchParams(query).get('code');
  return code ? normalizeInviteCode(code) : null;
}

function offeredTasks(tasks: unknown): TaskId[] {
  if (!Array.isArray(tasks)) return [...TASK_IDS];
  const ids = tasks
    .map((t) => (typeof t === 'string' ? t : typeof t === 'object' && t !== null && 'task' in t ? String((t as { task: unknown }).task) : ''))
    .filter((t): t is TaskId => (TASK_IDS as readonly string[]).includes(t));
  return ids.length > 0 ? ids : [...TASK_IDS];
}

/**
 * Enrolls this device with an invite code: a fresh Ed25519 key pair is made here and only its public half is sent.
 * `POST /api/enroll { inviteCode, publicKey }` -> 201 `{ clientId, tasks }`; 400 malformed, 404 unknown, 410 used/expired.
 */
export async function enroll(origin: string, inviteCode: string, fetchImpl: typeof fetch = fetch): Promise<Identity> {
  const code = normalizeInviteCode(inviteCode);
  if (!code) throw new EnrollError('Enter the invite code from your coach or team.', 400);
  const keys = nacl.sign.keyPair();
  const publicKey = bytesToBase64(keys.publicKey);
  let res: Response;
  try {
    res = await fetchImpl(`${origin}/api/enroll`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ inviteCode: code, publicKey }),
    });
  } catch {
    throw new EnrollError('Could not reach the team server. Check your connection and try again.', null);
  }
  if (res.status !== 201 && res.status !== 200) {
    const messages: Record<number, string> = {
      400: 'That code does not look right. Check it and try again.',
      404: 'That invite code is not known. Check it with your coach.',
      410: 'That invite code has already been used or has expired. Ask your coach for a new one.',
    };
    throw new EnrollError(messages[res.status] ?? `The team server refused the request (HTTP ${res.status}).`, res.status);
  }
  const body = (await res.json().catch(() => null)) as { clientId?: unknown; tasks?: unknown } | null;
  if (!body || typeof body.clientId !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(body.clientId)) {
    throw new EnrollError('The team server sent an unexpected answer.', res.status);
  }
  return {
    clientId: body.clientId,
    publicKey,
    secretKey: bytesToBase64(keys.secretKey),
    enrolledAt: new Date().toISOString(),
    tasksOffered: offeredTasks(body.tasks),
  };
}

/** The string signed to delete an enrollment: `DELETE /api/enrollments/<clientId>\n<timestamp>`. */
export function deletionMessage(clientId: string, timestamp: number): string {
  return `DELETE /api/enrollments/${clientId}\n${timestamp}`;
}

export function signDeletion(identity: Identity, timestamp: number): string {
  const message = new TextEncoder().encode(deletionMessage(identity.clientId, timestamp));
  return bytesToBase64(nacl.sign.detached(message, base64ToBytes(identity.secretKey)));
}

export type ForgetOutcome = { ok: true; status: number } | { ok: false; status: number | null; message: string };

/** Asks the coordinator to forget this enrollment (signed with the enrollment key). Never throws. */
export async function forgetEnrollment(origin: string, identity: Identity, fetchImpl: typeof fetch = fetch): Promise<ForgetOutcome> {
  const timestamp = Date.now();
  try {
    const res = await fetchImpl(`${origin}/api/enrollments/${encodeURIComponent(identity.clientId)}`, {
      method: 'DELETE',
      headers: { 'X-Huddle-Timestamp': String(timestamp), 'X-Huddle-Signature': signDeletion(identity, timestamp) },
    });
    if (res.ok) return { ok: true, status: res.status };
    if (res.status === 404) {
      const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
      // The coordinator's catch-all answers "no such endpoint": the route itself is missing, nothing was forgotten.
      if (body?.error === 'no such endpoint') return { ok: false, status: 404, message: 'the team server does not offer deletion yet' };
      // Otherwise the enrollment is unknown there: already forgotten.
      return { ok: true, status: 404 };
    }
    return { ok: false, status: res.status, message: `the team server answered HTTP ${res.status}` };
  } catch {
    return { ok: false, status: null, message: 'the team server could not be reached' };
  }
}
