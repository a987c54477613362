import { TASK_IDS, type TaskId } from '@huddle/shared/modelCore';
import { taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';
import type { InviteRequest } from '../auth/invites.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

function isObject(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function unknownKeys(body: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  return extra.length > 0 ? `unexpected field(s): ${extra.map((k) => `"${k.slice(0, 40)}"`).join(', ')}; allowed: ${allowed.join(', ')}` : null;
}

export const MAX_INVITE_HOURS = 24 * 30;
export const DEFAULT_INVITE_HOURS = 72;

/** `POST /api/invites` body; `hosted` is what an invite may grant. */
export function parseInviteBody(body: unknown, hosted: readonly TaskId[]): Parsed<InviteRequest> {
  const b = body ?? {};
  if (!isObject(b)) return fail('body must be a JSON object');
  const extra = unknownKeys(b, ['tasks', 'expiresInHours', 'note']);
  if (extra) return fail(extra);
  let tasks = [...hosted];
  if (b.tasks !== undefined) {
    if (!Array.isArray(b.tasks) || b.tasks.length === 0) return fail(`tasks must be a non-empty array of: ${hosted.join(', ')}`);
    const unhosted = b.tasks.filter((t) => !hosted.includes(t as TaskId));
    if (unhosted.length > 0) return fail(`tasks must be among the hosted tasks (${hosted.join(', ')}); got ${unhosted.map((t) => JSON.stringify(t).slice(0, 40)).join(', ')}`);
    tasks = TASK_IDS.filter((t) => (b.tasks as unknown[]).includes(t));
  }
  const hours = b.expiresInHours ?? DEFAULT_INVITE_HOURS;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0 || hours > MAX_INVITE_HOURS) return fail(`expiresInHours must be a number in (0, ${MAX_INVITE_HOURS}]`);
  const note = b.note ?? null;
  if (note !== null && (typeof note !== 'string' || note.length > 200)) return fail('note must be a string of at most 200 characters (it is for admins; leave names out)');
  return { ok: true, value: { tasks, expiresInHours: hours, note } };
}

/** `POST /api/enroll` body, shape only: the code and key are checked by the enrollment itself. */
export function parseEnrollBody(body: unknown): Parsed<{ inviteCode: string; publicKey: string }> {
  if (!isObject(body)) return fail('body must be a JSON object { inviteCode, publicKey }');
  const extra = unknownKeys(body, ['inviteCode', 'publicKey']);
  if (extra) return fail(extra);
  if (typeof body.inviteCode !== 'string' || body.inviteCode.length === 0 || body.inviteCode.length > 64) return fail('inviteCode must be the code from the invite');
  if (typeof body.publicKey !== 'string' || body.publicKey.length > 128) return fail('publicKey must be a base64 Ed25519 public key (32 bytes)');
  return { ok: true, value: { inviteCode: body.inviteCode, publicKey: body.publicKey } };
}

/** `PUT /api/tasks/:task/config` body: a full task configuration; its `task`, if given, must match the path. */
export function parseTaskConfigBody(body: unknown, task: TaskId): Parsed<TaskConfig> {
  if (!isObject(body)) return fail('body must be a JSON task configuration object');
  if (body.task !== undefined && body.task !== task) return fail(`body.task is "${String(body.task).slice(0, 40)}" but the path names "${task}"`);
  const extra = unknownKeys(body, Object.keys(taskConfigSchema.shape));
  if (extra) return fail(extra);
  const parsed = taskConfigSchema.safeParse({ ...body, task });
  if (!parsed.success) {
    return fail(`invalid task configuration: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return { ok: true, value: parsed.data };
}

export function parseCredentialBody(body: unknown): Parsed<{ note: string | null }> {
  const b = body ?? {};
  if (!isObject(b)) return fail('body must be a JSON object');
  const extra = unknownKeys(b, ['note']);
  if (extra) return fail(extra);
  const note = b.note ?? null;
  if (note !== null && (typeof note !== 'string' || note.length > 200)) return fail('note must be a string of at most 200 characters');
  return { ok: true, value: { note } };
}
