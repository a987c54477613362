import type { Express } from 'express';
import type { RoundEventStream } from '../dashboard/roundEventStream.ts';
import type { AuthContext } from './authOptions.ts';
import { requireRole } from './guard.ts';

/** `GET /api/events`: the dashboard's live round feed (Server-Sent Events, bearer token in the header). */
export function mountEventsRoute(app: Express, events: RoundEventStream, ctx: AuthContext): void {
  app.get('/api/events', requireRole(ctx.check, 'analyst'), (_req, res) => {
    if (!events.attach(res)) res.status(503).setHeader('Retry-After', '30').json({ error: 'too many live dashboards connected; retry later' });
  });
}
