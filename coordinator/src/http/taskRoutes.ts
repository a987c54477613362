import type { Express, Response } from 'express';
import type { TaskId } from '@huddle/shared/model';
import type { TaskConfig } from '@huddle/shared/protocol';
import { mergeTaskConfig } from '../ops/taskConfigMerge.ts';
import type { Coordinator } from '../engine/coordinator.ts';
import { publicRound } from '../dashboard/publicRound.ts';
import type { AuthContext } from './authOptions.ts';
import { parseTaskConfigBody } from './bodies.ts';
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

  /** The configuration in force from the next round: the admin's saved one, else the engine's. */
  const currentConfig = (task: TaskId) => store.loadTaskConfig(task) ?? coordinator.taskState(task).config;

  app.get('/api/tasks/:task/budget', analyst, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (task) res.json(budgetReport(store.loadLedger(task), currentConfig(task).privacy));
  });

  app.get('/api/tasks/:task/config', analyst, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (task) res.json(currentConfig(task));
  });

  /** Saves and applies a checked configuration; 409 when the engine refuses it (nothing is saved then). */
  const apply = (task: TaskId, config: TaskConfig, res: Response, how: string) => {
    try {
      store.transaction(() => {
        store.saveTaskConfig(config);
        ctx.onTaskConfig?.(task, config);
      });
    } catch (err) {
      return void res.status(409).json({ error: `the coordinator refused this configuration: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500) });
    }
    logger.info({ task, by: credentialOf(res).id, how }, 'task configuration updated; applies from the next round');
    res.json({ config, appliesFrom: 'next round' });
  };

  app.put('/api/tasks/:task/config', admin, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const body = parseTaskConfigBody(req.body, task);
    if (!body.ok) return void res.status(400).json({ error: body.error });
    apply(task, body.value, res, 'replaced');
  });

  /** A partial object, deep-merged into the configuration in force, then checked whole. */
  app.patch('/api/tasks/:task/config', admin, (req, res) => {
    const task = taskParam(req, res, ctx.hosted());
    if (!task) return;
    const merged = mergeTaskConfig(currentConfig(task), req.body);
    if (!merged.ok) return void res.status(400).json({ error: merged.error });
    apply(task, merged.value, res, 'patched');
  });
}
