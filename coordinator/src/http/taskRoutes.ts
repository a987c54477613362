import type { Express } from 'express';
import type { Coordinator } from '../engine/coordinator.ts';
import { publicRound } from '../dashboard/publicRound.ts';
import type { AuthContext } from './authOptions.ts';
import { parseBudgetBody, parseTaskConfigBody } from './bodies.ts';
import { budgetReport } from './budgetReport.ts';
import { credentialOf, requireRole } from './guard.ts';
import { taskParam } from './taskParam.ts';

/** Aggregate metrics, the privacy budget and task configuration. */
export function mountTaskRoutes(app: Express, coordinator: Coordinator, ctx: AuthContext): void {
  const admin = requireRole(ctx.check, 'admin');
  const analyst = requireRole(ctx.check, 'analyst');
  const { store, logger } = ctx;

  app.get('/api/tasks/:task/metrics', analyst, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const rounds = coordinator
      .history(task)
      .filter((r) => r.status === 'completed')
      .map(publicRound)
      .map((r) => ({ round: r.round, endedAt: r.endedAt, reported: r.reported, numExamples: r.numExamples, trainLoss: r.trainLoss, metrics: r.metrics }));
    res.json({ task, rounds });
  });

  app.get('/api/tasks/:task/budget', analyst, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (task) res.json(budgetReport(store.loadLedger(task), store.loadPrivacyBudget(task)));
  });

  app.put('/api/tasks/:task/budget', admin, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const body = parseBudgetBody(req.body);
    if (!body.ok) return void res.status(400).json({ error: body.error });
    store.savePrivacyBudget(task, body.value);
    logger.info({ task, budget: body.value, by: credentialOf(res).id }, 'privacy budget set');
    res.json(budgetReport(store.loadLedger(task), body.value));
  });

  app.get('/api/tasks/:task/config', analyst, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (task) res.json(coordinator.taskState(task).config);
  });

  app.put('/api/tasks/:task/config', admin, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const body = parseTaskConfigBody(req.body, task);
    if (!body.ok) return void res.status(400).json({ error: body.error });
    try {
      store.transaction(() => {
        store.saveTaskConfig(body.value);
        ctx.onTaskConfig?.(task, body.value);
      });
    } catch (err) {
      return void res.status(409).json({ error: `the coordinator refused this configuration: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) });
    }
    logger.info({ task, by: credentialOf(res).id }, 'task configuration updated; applies from the next round');
    res.json({ config: body.value, appliesFrom: 'next round' });
  });
}
