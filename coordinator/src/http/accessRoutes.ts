import type { Express, Request } from 'express';
import nacl from 'tweetnacl';
import { issueCredential } from '../auth/credentials.ts';
import { enroll } from '../auth/enrollment.ts';
import { eraseEnrollment } from '../auth/erasure.ts';
import { createInvite, inviteState, revokeInvite } from '../auth/invites.ts';
import { decodeBase64 } from '../auth/secrets.ts';
import type { AuthContext } from './authOptions.ts';
import { parseCredentialBody, parseEnrollBody, parseInviteBody } from './bodies.ts';
import { credentialOf, requireRole } from './guard.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function origin(req: Request, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
}

/** Invites, enrollment, revocation, self-erasure and staff credentials. */
export function mountAccessRoutes(app: Express, ctx: AuthContext): void {
  const admin = requireRole(ctx.check, 'admin');
  const analyst = requireRole(ctx.check, 'analyst');
  const { store, logger } = ctx;

  app.post('/api/invites', admin, (req, res) => {
    const body = parseInviteBody(req.body, ctx.hosted());
    if (!body.ok) return void res.status(400).json({ error: body.error });
    const invite = createInvite(store, body.value, ctx.now());
    logger.info({ invite: invite.id, tasks: invite.tasks, by: credentialOf(res).id }, 'invite created');
    res.status(201).json({
      id: invite.id,
      code: invite.code,
      // In the fragment, so the code never reaches a server log when the link is opened.
      joinUrl: `${origin(req, ctx.publicUrl)}/#/join?code=${invite.code}`,
      expiresAt: iso(invite.expiresAt),
      tasks: invite.tasks,
    });
  });

  app.get('/api/invites', admin, (_req, res) => {
    const now = ctx.now();
    res.json(
      store.invites.list().map((i) => ({
        id: i.id,
        tasks: i.tasks,
        note: i.note,
        createdAt: iso(i.createdAt),
        expiresAt: iso(i.expiresAt),
        state: inviteState(i, now),
        clientId: i.clientId,
      })),
    );
  });

  app.delete('/api/invites/:id', admin, (req, res) => {
    const outcome = revokeInvite(store, String(req.params.id), ctx.now());
    if (!outcome.ok) return void res.status(outcome.status).json({ error: outcome.error });
    logger.info({ invite: req.params.id, by: credentialOf(res).id }, 'invite revoked');
    res.status(204).end();
  });

  app.post('/api/enroll', (req, res) => {
    const body = parseEnrollBody(req.body);
    if (!body.ok) return void res.status(400).json({ error: body.error });
    const publicKey = decodeBase64(body.value.publicKey, nacl.sign.publicKeyLength);
    if (!publicKey) return void res.status(400).json({ error: 'publicKey must be a base64 Ed25519 public key (32 bytes)' });
    const outcome = enroll(store, body.value.inviteCode, publicKey, ctx.now());
    if (!outcome.ok) return void res.status(outcome.status).json({ error: outcome.error });
    logger.info({ client: outcome.clientId, tasks: outcome.tasks }, 'device enrolled');
    res.status(201).json({ clientId: outcome.clientId, tasks: outcome.tasks });
  });

  app.get('/api/enrollments/summary', analyst, (_req, res) => {
    res.json(store.enrollments.summary());
  });

  app.delete('/api/enrollments/:clientId', (req, res, next) => {
    if (req.headers.authorization !== undefined) return void next();
    const clientId = String(req.params.clientId);
    if (req.headers['x-huddle-signature'] === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="huddle"');
      return void res.status(401).json({ error: 'send an admin credential (Authorization: Bearer) or, from the enrolled device, X-Huddle-Timestamp and X-Huddle-Signature' });
    }
    const outcome = eraseEnrollment(store, clientId, header(req, 'x-huddle-timestamp'), header(req, 'x-huddle-signature'), ctx.now());
    if (!outcome.ok) return void res.status(outcome.status).json({ error: outcome.error });
    logger.info({ client: clientId }, 'enrollment erased at the athlete\'s request');
    ctx.onEnrollmentEnded?.(clientId);
    res.status(204).end();
  });

  app.delete('/api/enrollments/:clientId', admin, (req, res) => {
    const clientId = String(req.params.clientId);
    const enrollment = store.enrollments.byClientId(clientId);
    if (!enrollment) return void res.status(404).json({ error: 'no such enrollment' });
    if (!store.enrollments.revoke(clientId, ctx.now())) return void res.status(410).json({ error: 'this enrollment was already revoked' });
    logger.info({ client: clientId, by: credentialOf(res).id }, 'enrollment revoked');
    ctx.onEnrollmentEnded?.(clientId);
    res.status(204).end();
  });

  app.post('/api/credentials', admin, (req, res) => {
    const body = parseCredentialBody(req.body);
    if (!body.ok) return void res.status(400).json({ error: body.error });
    const issued = store.transaction(() => issueCredential(store, 'analyst', body.value.note, ctx.now()));
    logger.info({ credential: issued.id, role: issued.role, by: credentialOf(res).id }, 'credential created');
    res.status(201).json(issued);
  });

  app.delete('/api/credentials/:id', admin, (req, res) => {
    const id = String(req.params.id);
    const credential = store.credentials.byId(id);
    if (!credential) return void res.status(404).json({ error: 'no such credential' });
    if (credential.role === 'admin') return void res.status(409).json({ error: 'admin credentials cannot be revoked over the API; rotate the admin token offline with `coordinator admin-token`' });
    if (!store.credentials.revoke(id, ctx.now())) return void res.status(410).json({ error: 'this credential was already revoked' });
    logger.info({ credential: id, by: credentialOf(res).id }, 'credential revoked');
    res.status(204).end();
  });
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

