import type { Express } from 'express';
import { z } from 'zod';
import { toHex } from '@huddle/shared/secagg';
import { recordCountersignature, type CountersignatureTable } from '../auth/countersignatures.ts';
import { decodeBase64 } from '../auth/secrets.ts';
import type { AuthContext } from './authOptions.ts';
import { requireRole } from './guard.ts';

/** The auditor this coordinator relays countersignatures of (its public key) and where they are kept. */
export interface AuditorOptions {
  publicKey: Uint8Array;
  countersignatures: CountersignatureTable;
}

const countersignBody = z.object({ clientId: z.string().min(1).max(200), signature: z.string().min(1).max(200) }).strict();

/**
 * The auditor's routes. `POST /api/auditor/countersignatures` needs no bearer token: the Ed25519 countersignature of
 * (client id, enrolled key) by the auditor key is its authentication. The auditor should learn the client id and key
 * from the athlete's device, not from this coordinator, whose lists it has no reason to trust.
 */
export function mountAuditorRoutes(app: Express, ctx: AuthContext, auditor: AuditorOptions | undefined): void {
  const analyst = requireRole(ctx.check, 'analyst');

  app.get('/api/auditor', analyst, (_req, res) => {
    res.json(auditor ? { auditorPublicKey: toHex(auditor.publicKey), countersigned: auditor.countersignatures.count(auditor.publicKey) } : { auditorPublicKey: null, countersigned: 0 });
  });

  app.post('/api/auditor/countersignatures', (req, res) => {
    if (!auditor) return void res.status(404).json({ error: 'this coordinator relays no auditor countersignatures (start it with --auditor-key)' });
    const body = countersignBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: `body must be {"clientId": string, "signature": base64}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` });
    const signature = decodeBase64(body.data.signature, 64);
    if (!signature) return void res.status(400).json({ error: 'signature must be a base64 Ed25519 signature (64 bytes)' });
    const outcome = ctx.store.transaction(() => recordCountersignature({ enrollments: ctx.store.enrollments, countersignatures: auditor.countersignatures }, auditor.publicKey, body.data.clientId, signature, ctx.now()));
    if (!outcome.ok) return void res.status(outcome.status).json({ error: outcome.error });
    ctx.logger.info({ client: body.data.clientId }, 'enrollment countersigned by the auditor');
    res.status(201).json({ clientId: body.data.clientId });
  });
}
