import type { Express } from 'express';
import QRCode from 'qrcode';
import type { TaskId } from '@huddle/shared/model';
import { publicRound } from '../dashboard/publicRound.ts';
import type { Coordinator } from '../engine/coordinator.ts';
import type { AuthContext } from '../http/authOptions.ts';
import { parseTaskConfigBody } from '../http/bodies.ts';
import { budgetReport } from '../http/budgetReport.ts';
import { credentialOf, requireRole } from '../http/guard.ts';
import { taskParam } from '../http/taskParam.ts';
import { configDiff } from './configDiff.ts';
import { mountConsoleAssets } from './consoleAssets.ts';
import { whyNoRound } from './whyNoRound.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the operator console needs beyond the REST API: round outlook, enrollments, QR codes, a config dry run. */
export function mountConsole(app: Express, coordinator: Coordinator, ctx: AuthContext): void {
  const admin = requireRole(ctx.check, 'admin');
  const analyst = requireRole(ctx.check, 'analyst');
  const { store } = ctx;
  const currentConfig = (task: TaskId) => store.loadTaskConfig(task) ?? coordinator.taskState(task).config;

  /** The signed-in credential's role, so the console shows admin tools only to admins (the API enforces it anyway). */
  app.get('/api/console/whoami', analyst, (_req, res) => {
    res.json({ role: credentialOf(res).role });
  });

  app.get('/api/console/status', analyst, (_req, res) => {
    const enrolled = store.enrollments.summary();
    res.json(
      coordinator.taskIds().map((task) => {
        const s = coordinator.taskState(task);
        const config = currentConfig(task);
        const budget = budgetReport(store.loadLedger(task), config.privacy);
        const last = coordinator.history(task).at(-1);
        const readiness = {
          round: s.round,
          running: s.running,
          idle: coordinator.registry.idleFor(task).length,
          connected: coordinator.registry.optedIn(task).length,
          enrolled: enrolled.byTask[task] ?? 0,
          minClients: config.minClients,
          budget,
          last: last ? publicRound(last) : null,
          complete: s.complete,
        };
        return { task, ...readiness, outlook: whyNoRound(readiness) };
      }),
    );
  });

  app.get('/api/console/enrollments', admin, (_req, res) => {
    const rows = store.invites
      .list()
      .filter((i) => i.clientId !== null)
      .map((i) => {
        const e = store.enrollments.byClientId(i.clientId!);
        const state = !e ? 'erased by the athlete' : e.revokedAt !== null ? 'revoked' : 'active';
        return { clientId: i.clientId!, inviteId: i.id, tasks: e?.tasks ?? i.tasks, enrolledAt: iso(e?.enrolledAt ?? i.usedAt), revokedAt: iso(e?.revokedAt ?? null), state, connected: coordinator.registry.byId(i.clientId!) !== undefined };
      });
    res.json(rows);
  });

  app.post('/api/console/qr', admin, async (req, res, next) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.length === 0 || text.length > 512) return void res.status(400).json({ error: 'text must be a string of 1 to 512 characters' });
    try {
      res.json({ svg: await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) });
    } catch (err) {
      next(err);
    }
  });

  /**
   * Validates a proposed configuration with the same schema as the PUT and lists what would change; saves nothing.
   * A dry run: an invalid configuration is a successful check (200) whose answer is `ok: false` and the schema's reason.
   */
  app.post('/api/console/tasks/:task/config/check', admin, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const body = parseTaskConfigBody(req.body, task);
    if (!body.ok) return void res.json({ ok: false, error: body.error });
    res.json({ ok: true, config: body.value, changes: configDiff(currentConfig(task), body.value) });
  });

  mountConsoleAssets(app);
}
