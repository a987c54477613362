import nacl from 'tweetnacl';
import { z } from 'zod';
import { defaultPrivacyPolicy, privacyPolicySchema, signErasure, taskIdSchema, type PrivacyPolicy } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import { bytesToBase64 } from '@huddle/shared/util';

/** A device's identity in a federation: a pseudonymous id and the Ed25519 key registered for it. */
export interface Enrollment {
  clientId: string;
  tasks: TaskId[];
  secretKey: Uint8Array;
  /** The privacy terms the athlete consented to when joining; pass it to FederatedClient as `privacyPolicy`. */
  privacyPolicy: PrivacyPolicy;
}

const enrollResponse = z.object({ clientId: z.string().min(1).max(128), tasks: z.array(taskIdSchema) });

export class EnrollmentError extends Error {
  override name = 'EnrollmentError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  return body?.error ?? res.statusText;
}

/**
 * Redeems an invite: generates the device's signing key on the device and registers its public half. `privacyPolicy`
 * is what the consent screen showed (describePolicy); it is kept with the enrollment, on the device only.
 */
export async function enroll(coordinatorUrl: string, inviteCode: string, privacyPolicy: PrivacyPolicy = defaultPrivacyPolicy()): Promise<Enrollment> {
  const policy = privacyPolicySchema.parse(privacyPolicy);
  const keys = nacl.sign.keyPair();
  const res = await fetch(new URL('/api/enroll', coordinatorUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ inviteCode: inviteCode.trim(), publicKey: bytesToBase64(keys.publicKey) }),
  });
  if (res.status !== 201) throw new EnrollmentError(res.status, `enrollment refused (${res.status}): ${await errorText(res)}`);
  const body = enrollResponse.parse(await res.json());
  return { clientId: body.clientId, tasks: body.tasks, secretKey: keys.secretKey, privacyPolicy: policy };
}

/** Asks the coordinator to forget this device's enrollment; authorised by the device's own key. */
export async function forgetEnrollment(coordinatorUrl: string, enrollment: Pick<Enrollment, 'clientId' | 'secretKey'>): Promise<void> {
  const timestamp = Date.now();
  const res = await fetch(new URL(`/api/enrollments/${encodeURIComponent(enrollment.clientId)}`, coordinatorUrl), {
    method: 'DELETE',
    headers: { 'x-huddle-timestamp': String(timestamp), 'x-huddle-signature': signErasure(enrollment.secretKey, enrollment.clientId, timestamp) },
  });
  if (res.status !== 204) throw new EnrollmentError(res.status, `erasure refused (${res.status}): ${await errorText(res)}`);
}
