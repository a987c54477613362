import type { Express, Request, RequestHandler, Response } from 'express';
import nacl from 'tweetnacl';
import { coachEnrollBodySchema, coachInviteBodySchema, grantPayloadSchema, revokePayloadSchema, summaryPayloadSchema } from '@huddle/shared/coach';
import { bearerToken } from '../auth/roles.ts';
import { decodeBase64 } from '../auth/secrets.ts';
import { coachForToken, coachInviteState, createCoachInvite, enrollCoach, revokeCoachInvite, type CoachStore, type Refusal } from '../coach/coachAccess.ts';
import type { CoachRecord, CoachTables } from '../coach/records.ts';
import { openGrant, relaySummary, revokeGrant, SUMMARIES_KEPT } from '../coach/relay.ts';
import { parseBody, verifyRelayRequest } from '../coach/relayAuth.ts';
import { origin } from './accessRoutes.ts';
import type { AuthContext } from './authOptions.ts';
import { credentialOf, requireRole } from './guard.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const refuse = (res: Response, r: Refusal) => void res.status(r.status).json({ error: r.error });

/**
 * Coaches and the end-to-end encrypted relay of athletes' daily summaries to them (docs/coach.md): coach invites and
 * revocation (admin), coach enrollment, pairing-key lookup, athletes' signed grant / summary / revoke requests, and the
 * coach's board (coach token). The coordinator stores and relays ciphertext only.
 */
export function mountCoachRoutes(app: Express, ctx: AuthContext, coaches: CoachTables): void {
  const admin = requireRole(ctx.check, 'admin');
  const { logger } = ctx;
  const store: CoachStore = {
    invites: ctx.store.invites,
    enrollments: ctx.store.enrollments,
    usedSignatures: ctx.store.usedSignatures,
    coaches,
    transaction: (fn) => ctx.store.transaction(fn),
  };

  const coachOnly: RequestHandler = (req, res, next) => {
    const token = bearerToken(req.headers);
    const coach = token === null ? null : coachForToken(store, token);
    if (!coach) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="huddle-coach"');
      return void res.status(401).json({ error: token === null ? 'the board needs the coach token: send "Authorization: Bearer <token>"' : 'unknown or revoked coach token' });
    }
    res.locals.coach = coach;
    next();
  };

  app.post('/api/coach-invites', admin, (req, res) => {
    const body = parseBody(coachInviteBodySchema, req.body ?? {}, 'coach invite');
    if (!body.ok) return refuse(res, body);
    const invite = createCoachInvite(store, body.value, ctx.now());
    logger.info({ coachInvite: invite.id, by: credentialOf(res).id }, 'coach invite created');
    res.status(201).json({ id: invite.id, code: invite.code, joinUrl: `${origin(req, ctx.publicUrl)}/coach/#join?code=${invite.code}`, expiresAt: iso(invite.expiresAt) });
  });

  app.get('/api/coach-invites', admin, (_req, res) => {
    const now = ctx.now();
    res.json(coaches.listInvites().map((i) => ({ id: i.id, note: i.note, createdAt: iso(i.createdAt), expiresAt: iso(i.expiresAt), state: coachInviteState(i, now), coachId: i.coachId })));
  });

  app.delete('/api/coach-invites/:id', admin, (req, res) => {
    const outcome = revokeCoachInvite(store, String(req.params.id), ctx.now());
    if (!outcome.ok) return refuse(res, outcome);
    logger.info({ coachInvite: req.params.id, by: credentialOf(res).id }, 'coach invite revoked');
    res.status(204).end();
  });

  app.get('/api/coaches', admin, (_req, res) => {
    res.json(coaches.listCoaches(ctx.now()).map((c) => ({ coachId: c.coachId, enrolledAt: iso(c.enrolledAt), state: c.revokedAt === null ? 'active' : 'revoked', activeGrants: c.activeGrants })));
  });

  app.delete('/api/coaches/:coachId', admin, (req, res) => {
    const coachId = String(req.params.coachId);
    if (!coaches.coachById(coachId)) return void res.status(404).json({ error: 'no such coach' });
    if (!store.transaction(() => coaches.revokeCoach(coachId, ctx.now()))) return void res.status(410).json({ error: 'this coach was already revoked' });
    logger.info({ coach: coachId, by: credentialOf(res).id }, 'coach revoked; its relayed summaries deleted');
    res.status(204).end();
  });

  app.post('/api/coach/enroll', (req, res) => {
    const body = parseBody(coachEnrollBodySchema, req.body, 'coach enrollment');
    if (!body.ok) return refuse(res, body);
    const key = decodeBase64(body.value.boxPublicKey, nacl.box.publicKeyLength);
    if (!key) return void res.status(400).json({ error: 'coach enrollment: boxPublicKey must be base64 of a 32-byte X25519 public key' });
    const outcome = enrollCoach(store, body.value.inviteCode, key, ctx.now());
    if (!outcome.ok) return refuse(res, outcome);
    logger.info({ coach: outcome.coachId }, 'coach enrolled');
    res.status(201).json({ coachId: outcome.coachId, token: outcome.token });
  });

  /** The key behind a pairing code. Athletes check it against the code themselves: the answer is not trusted. */
  app.get('/api/coach/keys/:coachId', (req, res) => {
    const coach = coaches.coachById(String(req.params.coachId));
    if (!coach || coach.revokedAt !== null) return void res.status(404).json({ error: 'no active coach with this pairing code' });
    res.json({ coachId: coach.coachId, boxPublicKey: b64(coach.boxPublicKey) });
  });

  app.post('/api/coach/grants', (req, res) => {
    const now = ctx.now();
    const signed = verifyRelayRequest(store, 'POST /api/coach/grants', req.body, grantPayloadSchema, now);
    if (!signed.ok) return refuse(res, signed);
    const outcome = openGrant(store, signed.clientId, signed.payload, now);
    if (!outcome.ok) return refuse(res, outcome);
    logger.info({ grant: outcome.grant.grantId, coach: outcome.grant.coachId }, 'athlete started sharing with a coach');
    res.status(201).json({ grantId: outcome.grant.grantId, coachId: outcome.grant.coachId, expiresAt: iso(outcome.grant.expiresAt) });
  });

  app.post('/api/coach/grants/:grantId/summaries', (req: Request, res) => {
    const now = ctx.now();
    const grantId = String(req.params.grantId);
    const signed = verifyRelayRequest(store, `POST /api/coach/grants/${grantId}/summaries`, req.body, summaryPayloadSchema, now);
    if (!signed.ok) return refuse(res, signed);
    const outcome = relaySummary(store, signed.clientId, grantId, signed.payload, now);
    if (!outcome.ok) return refuse(res, outcome);
    res.status(201).json({ stored: true });
  });

  app.post('/api/coach/grants/:grantId/revoke', (req, res) => {
    const now = ctx.now();
    const grantId = String(req.params.grantId);
    const signed = verifyRelayRequest(store, `POST /api/coach/grants/${grantId}/revoke`, req.body, revokePayloadSchema, now);
    if (!signed.ok) return refuse(res, signed);
    const outcome = revokeGrant(store, signed.clientId, grantId, now);
    if (!outcome.ok) return refuse(res, outcome);
    logger.info({ grant: grantId }, 'athlete revoked a sharing; its relayed summaries deleted');
    res.status(204).end();
  });

  app.get('/api/coach/board', coachOnly, (_req, res) => {
    const now = ctx.now();
    const coach = res.locals.coach as CoachRecord;
    store.transaction(() => coaches.purgeExpired(now));
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      coachId: coach.coachId,
      athletes: coaches.activeGrantsOf(coach.coachId, now).map((g) => ({
        grantId: g.grantId,
        athleteBoxKey: b64(g.athleteBoxKey),
        sharingSince: iso(g.createdAt),
        expiresAt: iso(g.expiresAt),
        summaries: coaches.summariesOf(g.grantId, SUMMARIES_KEPT).map((s) => ({ nonce: b64(s.nonce), ciphertext: b64(s.ciphertext), receivedAt: iso(s.receivedAt) })),
      })),
    });
  });
}
